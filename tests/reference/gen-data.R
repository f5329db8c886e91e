# gen-data.R — writes the small test surveys used by the estimation golden
# tests (run once; the outputs are committed in tests/data/survey/).
#   Rscript tests/reference/gen-data.R tests/data/survey
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/data/survey"
set.seed(20240601)

make_survey <- function(sizes, year_codes, with_weight) {
  prov <- rep(names(sizes), sizes)
  n <- length(prov)
  size <- sample(c("micro", "small", "medium", "large"), n, replace = TRUE,
                 prob = c(0.5, 0.3, 0.15, 0.05))
  size[n] <- "giant"   # a stratum with a single respondent (lonely PSU)
  na <- function(x, p) { x[runif(n) < p] <- NA; x }
  d <- data.frame(
    respondent_id = sprintf("R%04d", seq_len(n)),
    province = prov,
    size = size,
    stringsAsFactors = FALSE)
  if (with_weight) d$weight <- round(runif(n, 1, 60), 3)
  d$q_email <- na(rbinom(n, 1, 0.4 + 0.4 * (prov %in% year_codes)), 0.08)
  d$q_web <- na(rbinom(n, 1, 0.3), 0.15)
  d$q_rev_pct <- na(round(runif(n, 0, 100), 1), 0.2)
  d$q_sales <- na(round(rlnorm(n, 3, 1.2), 2), 0.1)
  d$q_employees <- na(sample(1:300, n, replace = TRUE), 0.1)
  d$q_soft <- na(sample(0:3, n, replace = TRUE), 0.12)
  d
}

# 2024 (63 provinces): big, medium and small provinces; 02 has 12 respondents.
s1 <- make_survey(c("01" = 80, "79" = 90, "48" = 40, "74" = 25, "02" = 12,
                    "92" = 50, "31" = 33), c("01", "79"), TRUE)
write.csv(s1, file.path(out, "ref1.csv"), row.names = FALSE, na = "", quote = FALSE)

# 2025 (34 units), no weight column: weights come from population counts.
s2 <- make_survey(c("01" = 60, "79" = 70, "48" = 35, "04" = 9, "46" = 31,
                    "92" = 44), c("01"), FALSE)
write.csv(s2, file.path(out, "ref2.csv"), row.names = FALSE, na = "", quote = FALSE)

# Population counts per province x size class (post-strata) for ref2, plus
# a cell with no respondents (ignored, as postStratify(partial = TRUE)).
cells <- unique(s2[, c("province", "size")])
cells <- cells[order(cells$province, cells$size), ]
cells$count <- round(nrow(cells):1 * 37 + 100)
cells <- rbind(cells, data.frame(province = "96", size = "micro", count = 500))
write.csv(cells, file.path(out, "ref2-population.csv"), row.names = FALSE, quote = FALSE)

# Population counts per province for ref1 (post-strata cut across strata).
pc <- data.frame(province = c("01", "79", "48", "74", "02", "92", "31"),
                 count = c(160000, 220000, 25000, 40000, 3000, 12000, 30000))
write.csv(pc, file.path(out, "ref1-population.csv"), row.names = FALSE, quote = FALSE)
