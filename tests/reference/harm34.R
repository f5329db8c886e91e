# harm34.R — golden numbers for tests/test_harm_store.c: a 2024 survey
# re-assigned to the 2025 units and re-estimated with its design.
# Run: Rscript tests/reference/harm34.R > tests/reference/harm34.out
suppressMessages(library(survey))
options(survey.lonely.psu = "adjust")
d <- data.frame(
  prov = c("01", "01", "01", "79", "79", "74", "74", "77", "77", "02", "02", "08"),
  w = c(10, 20, 30, 5, 15, 10, 30, 20, 7, 12, 8, 25),
  stratum = c("a", "b", "c", "a", "b", "a", "c", "b", "b", "a", "a", "c"),
  y = c(1, 0, 1, 1, 1, 0, 1, 0, NA, 1, 0, 1),
  sales = c(100, 0, 50, 400, 300, 20, 80, 10, NA, 5, 0, 15),
  stringsAsFactors = FALSE)
# 2025 units: 74 and 77 joined 79; 02 (Hà Giang) joined 08 (Tuyên Quang).
d$prov34 <- ifelse(d$prov %in% c("74", "77", "79"), "79",
             ifelse(d$prov %in% c("02", "08"), "08", d$prov))
show <- function(label, by, des) {
  m <- svyby(~y, by, des, svymean, na.rm = TRUE)
  t <- svyby(~sales, by, des, svytotal, na.rm = TRUE)
  for (i in seq_len(nrow(m)))
    cat(sprintf("%s,%s,y,%.17g,%.17g\n", label, m[i, 1], coef(m)[i], SE(m)[i]))
  for (i in seq_len(nrow(t)))
    cat(sprintf("%s,%s,sales,%.17g,%.17g\n", label, t[i, 1], coef(t)[i], SE(t)[i]))
}
cat("design,unit,var,estimate,se\n")
des <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = d)
show("u63", ~prov, des)
show("u34", ~prov34, des)
# strata = former province x stratum, kept after the re-assignment
d$ps <- paste(d$prov, d$stratum)
desp <- svydesign(ids = ~1, strata = ~ps, weights = ~w, data = d)
show("p63", ~prov, desp)
show("p34", ~prov34, desp)
# HN+HCM share of online sales on the 2025 units: ratio of domain totals
des <- update(des, sales_hh = ifelse(prov34 %in% c("01", "79"), sales, 0))
r <- svyratio(~sales_hh, ~sales, des, na.rm = TRUE)
cat(sprintf("u34,VN,hh_share,%.17g,%.17g\n", coef(r), SE(r)))
