# coinr_extras.R — golden numbers for the COINr functions chiso added in
# issue 17: Denominate, distance-to-target normalisation, effective weights
# and the weight optimisation that balances correlations.
#
# An INDEPENDENT computation in base R from COINr's documented formulas
# (COINr reference manual and source, v1.1: Denominate.data.frame,
# n_dist2targ with f_n_para = "use_iMeta", get_eff_wts, get_opt_weights).
# COINr itself is not needed (it is not packaged for Debian).
#
#   Denominate:  x / (denominator / ScaleFactor), ScaleFactor 1 when iMeta
#                has none, the denominator a column of iData named in
#                iMeta's Denominator column;
#   n_dist2targ: Normalise multiplies x by Direction; the target passed is
#                Target * Direction; y = (x - min x) / (targ - min x),
#                capped at 1 only with dist2targ_cap_max (absent: FALSE);
#   a_amean:     sum(w x) / sum(w) over the non-NA children, level by level;
#   get_eff_wts: weights normalised to sum 1 within each parent, multiplied
#                down from the index (effective weight of the index = 1);
#   get_opt_weights(optype = "balance", itarg = "equal", cortype =
#                "pearson"): w <- w / sum(w) at Level; re-aggregate;
#                crs = cor(each node of Level, the index); crs_n =
#                crs / sum(crs); objective log(sum((itarg - crs_n)^2) /
#                length(crs_n)); minimised by stats::optim (Nelder-Mead)
#                from itarg with reltol = toler (0.1) and maxit = 500.
#
# Usage: Rscript coinr_extras.R META.csv DATA.csv OUTPREFIX LEVEL
# Writes OUTPREFIX_denom_minmax_amean.csv, OUTPREFIX_dist2targ_amean.csv,
# OUTPREFIX_denom_dist2targ_amean.csv (columns as coinr_index.R),
# OUTPREFIX_effweights.csv (iCode,EffWeight) and OUTPREFIX_optweights.csv
# (case,objective,then one weight per node of LEVEL).

args <- commandArgs(trailingOnly = TRUE)
meta <- read.csv(args[1], stringsAsFactors = FALSE)
dat <- read.csv(args[2], stringsAsFactors = FALSE)
prefix <- args[3]
opt_level <- as.integer(args[4])

meta <- meta[meta$Type %in% c("Indicator", "Aggregate"), ]
ind <- meta[meta$Type == "Indicator", ]
agg <- meta[meta$Type == "Aggregate", ]
maxlev <- max(meta$Level)
root <- agg$iCode[agg$Level == maxlev]

denominate <- function(d) {
  for (k in seq_len(nrow(ind))) {
    den <- ind$Denominator[k]
    if (is.na(den) || den == "") next
    sf <- if (!is.null(ind$ScaleFactor)) ind$ScaleFactor[k] else 1
    d[[ind$iCode[k]]] <- d[[ind$iCode[k]]] / (d[[den]] / sf)
  }
  d
}

normalise <- function(d, method) {
  out <- data.frame(row.names = seq_len(nrow(d)))
  for (k in seq_len(nrow(ind))) {
    x <- as.numeric(d[[ind$iCode[k]]]) * ind$Direction[k]
    if (method == "minmax") {
      y <- (x - min(x, na.rm = TRUE)) / (max(x, na.rm = TRUE) - min(x, na.rm = TRUE)) * 100
    } else {
      targ <- ind$Target[k] * ind$Direction[k]
      y <- (x - min(x, na.rm = TRUE)) / (targ - min(x, na.rm = TRUE))
    }
    out[[ind$iCode[k]]] <- y
  }
  out
}

amean <- function(x, w) {
  ok <- !is.na(x)
  if (!any(ok)) return(NA)
  sum(w[ok] * x[ok]) / sum(w[ok])
}

aggregate_all <- function(scores, weight) {
  for (lev in sort(unique(agg$Level))) {
    for (code in agg$iCode[agg$Level == lev]) {
      kids <- meta$iCode[meta$Parent %in% code]
      w <- weight[match(kids, meta$iCode)]
      X <- as.matrix(scores[kids])
      scores[[code]] <- apply(X, 1, function(r) amean(r, w))
    }
  }
  scores
}

write_out <- function(scores, name) {
  res <- data.frame(code = dat$uCode, stringsAsFactors = FALSE)
  for (code in c(agg$iCode, ind$iCode)) res[[code]] <- scores[[code]]
  res$rank <- rank(-res[[root]], ties.method = "min", na.last = "keep")
  res[] <- lapply(res, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
  res[res == "NA"] <- ""
  write.csv(res, paste0(prefix, "_", name, ".csv"), row.names = FALSE, quote = FALSE)
}

w0 <- meta$Weight
write_out(aggregate_all(normalise(denominate(dat), "minmax"), w0), "denom_minmax_amean")
write_out(aggregate_all(normalise(dat, "dist2targ"), w0), "dist2targ_amean")
write_out(aggregate_all(normalise(denominate(dat), "dist2targ"), w0), "denom_dist2targ_amean")

# ---- get_eff_wts ----
eff <- meta$Weight
parent <- ifelse(meta$Level == maxlev, "none", meta$Parent)
for (p in unique(parent)) eff[parent == p] <- eff[parent == p] / sum(eff[parent == p])
for (lev in (maxlev - 1):1) {
  idx <- which(meta$Level == lev)
  eff[idx] <- eff[idx] * eff[match(meta$Parent[idx], meta$iCode)]
}
write.csv(data.frame(iCode = meta$iCode, EffWeight = sprintf("%.17g", eff)),
          paste0(prefix, "_effweights.csv"), row.names = FALSE, quote = FALSE)

# ---- get_opt_weights (balance, equal importance, Pearson) ----
norm <- normalise(dat, "minmax")
at_level <- which(meta$Level == opt_level)
itarg <- rep(1, length(at_level)) / length(at_level)
objective <- function(w) {
  w <- w / sum(w)
  wl <- w0
  wl[at_level] <- w
  s <- aggregate_all(norm, wl)
  crs <- sapply(meta$iCode[at_level], function(code)
    cor(s[[code]], s[[root]], use = "pairwise.complete.obs"))
  crs_n <- crs / sum(crs)
  log(sum((itarg - crs_n)^2) / length(crs_n))
}
coinr <- optim(par = itarg, fn = objective, control = list(reltol = 0.1, maxit = 500))
# chiso keeps weights positive (w = exp(p)); the same search in R, tight,
# from the equal weights: the optimum chiso must reach (or beat).
positive <- optim(par = log(itarg), fn = function(p) objective(exp(p)),
                  control = list(reltol = 1e-12, maxit = 20000))
row <- function(case, w, obj) c(case, sprintf("%.17g", c(obj, w / sum(w))))
tab <- rbind(row("equal", itarg, objective(itarg)),
             row("coinr_default", coinr$par, coinr$value),
             row("positive_tight", exp(positive$par), positive$value))
colnames(tab) <- c("case", "objective", meta$iCode[at_level])
write.csv(tab, paste0(prefix, "_optweights.csv"), row.names = FALSE, quote = FALSE)
