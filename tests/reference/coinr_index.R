# coinr_index.R — golden numbers for chiso's COINr-compatible index.
#
# An INDEPENDENT computation in base R, written from COINr's documented
# formulas (COINr reference manual: n_minmax, n_zscore, a_amean, a_gmean;
# Becker et al. 2022, JOSS 7(78) 4567). COINr itself is not needed.
#   n_minmax(x, l_u)  = (x - min x) / (max x - min x) * (u - l) + l
#   n_zscore(x, m_sd) = (x - mean x) / sd(x) * sd + m      (sample sd)
#   both applied to Direction * x, NA removed in min/max/mean/sd;
#   a_amean(x, w) = sum(w x) / sum(w) over the non-NA x;
#   a_gmean(x, w) = exp(sum(w log x) / sum(w)) over the non-NA x;
#   aggregation level by level following iMeta's Parent column;
#   rank = rank(-Index, ties.method = "min").
# Usage: Rscript coinr_index.R META.csv DATA.csv OUTPREFIX
# Writes OUTPREFIX_minmax_amean.csv, OUTPREFIX_zscore_amean.csv,
# OUTPREFIX_minmax1_gmean.csv (minmax to [1,100] then geometric mean).

args <- commandArgs(trailingOnly = TRUE)
meta <- read.csv(args[1], stringsAsFactors = FALSE)
dat <- read.csv(args[2], stringsAsFactors = FALSE)
prefix <- args[3]

meta <- meta[meta$Type %in% c("Indicator", "Aggregate"), ]
ind <- meta[meta$Type == "Indicator", ]
agg <- meta[meta$Type == "Aggregate", ]

normalise <- function(method, lu) {
  out <- data.frame(row.names = seq_len(nrow(dat)))
  for (k in seq_len(nrow(ind))) {
    x <- as.numeric(dat[[ind$iCode[k]]]) * ind$Direction[k]
    if (method == "minmax") {
      y <- (x - min(x, na.rm = TRUE)) / (max(x, na.rm = TRUE) - min(x, na.rm = TRUE)) *
        (lu[2] - lu[1]) + lu[1]
    } else {
      y <- (x - mean(x, na.rm = TRUE)) / sd(x, na.rm = TRUE) * lu[2] + lu[1]
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
gmean <- function(x, w) {
  ok <- !is.na(x)
  if (!any(ok)) return(NA)
  exp(sum(w[ok] * log(x[ok])) / sum(w[ok]))
}

aggregate_all <- function(scores, f) {
  for (lev in sort(unique(agg$Level))) {
    for (code in agg$iCode[agg$Level == lev]) {
      kids <- meta$iCode[meta$Parent %in% code]
      w <- meta$Weight[match(kids, meta$iCode)]
      X <- as.matrix(scores[kids])
      scores[[code]] <- apply(X, 1, function(r) f(r, w))
    }
  }
  scores
}

write_out <- function(scores, name) {
  root <- agg$iCode[agg$Level == max(agg$Level)]
  res <- data.frame(code = dat$uCode, stringsAsFactors = FALSE)
  for (code in c(agg$iCode, ind$iCode)) res[[code]] <- scores[[code]]
  res$rank <- rank(-res[[root]], ties.method = "min", na.last = "keep")
  res[] <- lapply(res, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
  res[res == "NA"] <- ""
  write.csv(res, paste0(prefix, "_", name, ".csv"), row.names = FALSE, quote = FALSE)
}

write_out(aggregate_all(normalise("minmax", c(0, 100)), amean), "minmax_amean")
write_out(aggregate_all(normalise("zscore", c(0, 1)), amean), "zscore_amean")
write_out(aggregate_all(normalise("minmax", c(1, 100)), gmean), "minmax1_gmean")
