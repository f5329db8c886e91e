# mrsw_sets.R — golden rank confidence sets of Mogstad, Romano, Shaikh &
# Wilhelm (2024), "Inference for ranks with applications to mobility across
# neighbourhoods and academic achievement across countries", Review of
# Economic Studies 91(1):476–518, single-step and stepdown, marginal and
# simultaneous, written in base R from the paper's procedure (as the R
# package csranks implements it: csdiffmeans with the two-sided family
# turned into the one-sided family over both orders for the stepdown).
# csranks is not installed; this is an independent implementation.
#
# One difference from csranks, on purpose: csranks draws new normal
# vectors at every step of the stepdown; here (and in chiso) the same R
# draws serve every step (common random numbers), so that C and R can be
# compared exactly on the same draws.
#
#   d_jk = x_j − x_k, se_jk = sqrt(Σ_jj + Σ_kk − 2 Σ_jk);
#   family I: ordered pairs (j, k), j ≠ k, involving the units of interest
#     (all units: the simultaneous sets; unit i: its marginal set);
#   repeat: c = quantile_{1−α}(max_{(j,k) ∈ I} (Z_rj − Z_rk)/se_jk), type 7;
#     reject (j, k) ∈ I with d_jk > c se_jk (j surely ranks above k),
#     remove them from I; stop after one step (single-step) or when nothing
#     new is rejected (stepdown);
#   set of unit i: [1 + #{k: k surely above i}, p − #{k: i surely above k}].
#
# Usage: Rscript mrsw_sets.R OUTPREFIX
# Writes OUTPREFIX_input.csv (code, x, then the covariance matrix row),
# OUTPREFIX_draws.csv (R rows of p normal draws with covariance Σ) and
# OUTPREFIX_sets.csv (code, then L and U of sim_stepdown, sim_single,
# marg_stepdown, marg_single, then p_top1, p_top3 of x + Z).

args <- commandArgs(trailingOnly = TRUE)
prefix <- args[1]
set.seed(20240517)
p <- 12
R <- 1000
alpha <- 0.05
# estimates with a clear leader, a near-tied middle and a tail; correlated
x <- c(10, 7.2, 7.0, 6.9, 6.1, 5.0, 4.9, 4.85, 3.0, 2.2, 2.0, 0.5)
sd <- c(0.4, 0.5, 0.5, 0.6, 0.3, 0.4, 0.4, 0.5, 0.6, 0.3, 0.5, 0.4)
rho <- 0.3
Sigma <- rho * outer(sd, sd)
diag(Sigma) <- sd^2
Z <- matrix(rnorm(R * p), R, p) %*% chol(Sigma)
se <- sqrt(outer(diag(Sigma), diag(Sigma), "+") - 2 * Sigma)

rank_sets <- function(indices, stepdown) {
  d <- outer(x, x, "-")
  I <- matrix(FALSE, p, p)
  I[indices, ] <- TRUE
  I[, indices] <- TRUE
  diag(I) <- FALSE
  rej <- matrix(FALSE, p, p)
  repeat {
    if (!any(I)) break
    idx <- which(I, arr.ind = TRUE)
    stat <- apply(Z, 1, function(z) max((z[idx[, 1]] - z[idx[, 2]]) / se[idx]))
    crit <- quantile(stat, 1 - alpha, type = 7, names = FALSE)
    new <- I & (d > crit * se)
    rej <- rej | new
    I <- I & !new
    if (!stepdown || !any(new)) break
  }
  cbind(L = 1 + colSums(rej)[indices], U = p - rowSums(rej)[indices])
}

sim_sd <- rank_sets(1:p, TRUE)
sim_ss <- rank_sets(1:p, FALSE)
marg_sd <- t(sapply(1:p, function(i) rank_sets(i, TRUE)))
marg_ss <- t(sapply(1:p, function(i) rank_sets(i, FALSE)))
ranks <- t(apply(sweep(Z, 2, x, "+"), 1, function(v) rank(-v, ties.method = "first")))
codes <- sprintf("U%02d", 1:p)

inp <- data.frame(code = codes, x = sprintf("%.17g", x))
for (k in 1:p) inp[[codes[k]]] <- sprintf("%.17g", Sigma[, k])
write.csv(inp, paste0(prefix, "_input.csv"), row.names = FALSE, quote = FALSE)
dr <- as.data.frame(matrix(sprintf("%.17g", Z), R, p))
names(dr) <- codes
write.csv(dr, paste0(prefix, "_draws.csv"), row.names = FALSE, quote = FALSE)
out <- data.frame(code = codes,
                  sim_stepdown_L = sim_sd[, 1], sim_stepdown_U = sim_sd[, 2],
                  sim_single_L = sim_ss[, 1], sim_single_U = sim_ss[, 2],
                  marg_stepdown_L = marg_sd[, 1], marg_stepdown_U = marg_sd[, 2],
                  marg_single_L = marg_ss[, 1], marg_single_U = marg_ss[, 2],
                  p_top1 = sprintf("%.17g", colMeans(ranks <= 1)),
                  p_top3 = sprintf("%.17g", colMeans(ranks <= 3)))
write.csv(out, paste0(prefix, "_sets.csv"), row.names = FALSE, quote = FALSE)
