# Reference values for tests/test_divide.c, computed in base R straight
# from the textbook formulas (independently of chiso's C code).
#   Rscript tests/reference/divide_reference.R  (run from the repository root)
# reads tests/reference/divide_input.csv and writes
# tests/reference/divide_expected.csv (measure,value).
d <- read.csv("tests/reference/divide_input.csv", colClasses = c(code = "character"))
x <- d$score; g <- d$region; n <- length(x); mu <- mean(x)
out <- list()
# Gini (1912): mean absolute difference / (2 mean)
out$gini <- sum(abs(outer(x, x, "-"))) / (2 * n^2 * mu)
# Theil (1967) T and L with the Shorrocks (1980) decomposition by region
tT <- function(v) mean(v / mean(v) * log(v / mean(v)))
tL <- function(v) mean(log(mean(v) / v))
out$theil_t <- tT(x); out$theil_l <- tL(x)
wt <- 0; bt <- 0; wl <- 0; bl <- 0
for (r in unique(g)) {
  v <- x[g == r]; s <- sum(v) / sum(x); p <- length(v) / n
  wt <- wt + s * tT(v); bt <- bt + s * log(mean(v) / mu)
  wl <- wl + p * tL(v); bl <- bl + p * log(mu / mean(v))
}
out$theil_t_between <- bt; out$theil_t_within <- wt
out$theil_l_between <- bl; out$theil_l_within <- wl
out$cv <- sqrt(mean((x - mu)^2)) / mu
q <- quantile(x, c(0.1, 0.5, 0.9), type = 7, names = FALSE)
out$p10 <- q[1]; out$p90 <- q[3]; out$p90_p10 <- q[3] / q[1]
s <- sort(x)
out$top5_bottom5 <- mean(tail(s, 5)) / mean(head(s, 5))
out$leader_median_gap <- max(x) - median(x)
# Concentration of sales
v <- d$sales; sh <- v / sum(v)
out$hn_hcm_share <- sum(v[d$code %in% c("01", "79")]) / sum(v)
out$outside_share <- 1 - out$hn_hcm_share
out$hhi <- sum(sh^2)
out$top5_share <- sum(tail(sort(v), 5)) / sum(v)
out$gini_sales <- sum(abs(outer(v, v, "-"))) / (2 * n^2 * mean(v))
# Beta convergence over 4 years (Barro & Sala-i-Martin 1992)
T <- 4
gr <- log(d$y1 / d$y0) / T
fit <- summary(lm(gr ~ log(d$y0)))
out$beta_alpha <- fit$coefficients[1, 1]
out$beta <- fit$coefficients[2, 1]
out$beta_se <- fit$coefficients[2, 2]
out$beta_r2 <- fit$r.squared
out$beta_speed <- -log(1 + out$beta * T) / T
out$beta_half_life <- log(2) / out$beta_speed
# Sigma convergence: population sd (divide by n)
psd <- function(v) sqrt(mean((v - mean(v))^2))
out$sigma_cv_y0 <- psd(d$y0) / mean(d$y0); out$sigma_cv_y1 <- psd(d$y1) / mean(d$y1)
out$sigma_sdlog_y0 <- psd(log(d$y0)); out$sigma_sdlog_y1 <- psd(log(d$y1))
res <- data.frame(measure = names(out), value = sprintf("%.17g", unlist(out)))
write.csv(res, "tests/reference/divide_expected.csv", row.names = FALSE, quote = FALSE)

# The same scores grouped by their real 2024 regions (region_2008 of
# data/provinces/provinces.csv), in the row order of `chiso divide`:
# tests/reference/divide_cli_2024.csv, checked by tests/cli/test_divide.sh.
p <- read.csv("data/provinces/provinces.csv", colClasses = "character", encoding = "UTF-8")
reg <- p$region_2008[match(d$code, p$code_2008)]
wt <- 0; bt <- 0; wl <- 0; bl <- 0
for (r in unique(reg)) {
  v <- x[reg == r]; s <- sum(v) / sum(x); pp <- length(v) / n
  wt <- wt + s * tT(v); bt <- bt + s * log(mean(v) / mu)
  wl <- wl + pp * tL(v); bl <- bl + pp * log(mu / mean(v))
}
# Concentration of the volume (sales) and inequality of the scores, named
# apart as `chiso divide` names them (volume_*, score_*).
cli <- c(hn_hcm_share = out$hn_hcm_share, outside_share = out$outside_share,
         volume_gini = out$gini_sales, volume_top5_share = out$top5_share,
         volume_hhi = out$hhi,
         score_gini = out$gini, score_theil_t = out$theil_t, score_theil_t_between = bt,
         score_theil_t_within = wt, score_theil_l = out$theil_l, score_theil_l_between = bl,
         score_theil_l_within = wl, score_cv = out$cv, score_p90_p10 = out$p90_p10,
         score_top5_bottom5 = out$top5_bottom5,
         score_leader_median_gap = out$leader_median_gap)
write.csv(data.frame(measure = names(cli), value = sprintf("%.17g", cli)),
          "tests/reference/divide_cli_2024.csv", row.names = FALSE, quote = FALSE)
