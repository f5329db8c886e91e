# reference.R — expected estimates and standard errors from R's survey
# package for the chiso estimation tests (tests/test_svy.c). Independent of
# chiso: it reads the test surveys and the province list and writes
#   tests/reference/CASE.csv: level,domain,indicator,estimate,se,n,weighted_n
# level is province|region|nation; domain is the province code, the
# region's Vietnamese name, or VN.
#   Rscript tests/reference/reference.R   (from the repository root)
suppressMessages(library(survey))
options(survey.lonely.psu = "adjust")

prov <- read.csv("data/provinces/provinces.csv", colClasses = "character",
                 encoding = "UTF-8")
region_of <- function(codes, year) {
  if (year < 2025) prov$region_2008[match(codes, prov$code_2008)]
  else prov$region_2025[match(codes, prov$code_2025)]
}

load <- function(name, year) {
  d <- read.csv(file.path("tests/data/survey", name), colClasses = c(
    respondent_id = "character", province = "character", size = "character"))
  d$region <- region_of(d$province, year)
  d$nation <- "VN"
  d$soft_any <- ifelse(is.na(d$q_soft), NA, as.numeric(d$q_soft %in% c(1, 2)))
  d
}

means <- c(email_use = "q_email", web_use = "q_web", rev_pct = "q_rev_pct",
           soft_any = "soft_any")

# One indicator by one grouping variable: svyby with na.rm = TRUE.
by_level <- function(des, by, id, kind, y, x = NULL) {
  f <- as.formula(paste0("~", y))
  g <- as.formula(paste0("~", by))
  r <- switch(kind,
    mean = svyby(f, g, des, svymean, na.rm = TRUE),
    total = svyby(f, g, des, svytotal, na.rm = TRUE),
    ratio = svyby(f, g, des, svyratio, denominator = as.formula(paste0("~", x)),
                  na.rm = TRUE))
  dom <- as.character(r[[by]])
  est <- coef(r)
  se <- SE(r)
  v <- des$variables
  w <- weights(des)
  ok <- !is.na(v[[y]])
  if (!is.null(x)) ok <- ok & !is.na(v[[x]])
  n <- sapply(dom, function(k) sum(ok & v[[by]] == k))
  wn <- sapply(dom, function(k) sum(w[ok & v[[by]] == k]))
  data.frame(level = by,
             domain = unname(dom), indicator = id,
             estimate = sprintf("%.17g", est), se = sprintf("%.17g", se),
             n = unname(n), weighted_n = sprintf("%.17g", wn), stringsAsFactors = FALSE)
}

run_case <- function(des, case) {
  rows <- list()
  for (by in c("province", "region", "nation")) {
    for (id in names(means)) rows[[length(rows) + 1]] <- by_level(des, by, id, "mean", means[[id]])
    rows[[length(rows) + 1]] <- by_level(des, by, "sales_total", "total", "q_sales")
    rows[[length(rows) + 1]] <- by_level(des, by, "sales_per_emp", "ratio", "q_sales", "q_employees")
  }
  out <- do.call(rbind, rows)
  write.csv(out, file.path("tests/reference", paste0(case, ".csv")),
            row.names = FALSE, quote = FALSE, fileEncoding = "UTF-8")
}

d1 <- load("ref1.csv", 2024)
d2 <- load("ref2.csv", 2025)

# A: strata = size class (across provinces), weight column.
run_case(svydesign(ids = ~1, strata = ~size, weights = ~weight, data = d1), "caseA")
# B: strata = province x size class.
d1$pstrat <- interaction(d1$province, d1$size, drop = TRUE)
run_case(svydesign(ids = ~1, strata = ~pstrat, weights = ~weight, data = d1), "caseB")
# C: no weights; post-stratified to province x size counts (partial = TRUE
#    drops the population cell without respondents).
pop2 <- read.csv("tests/data/survey/ref2-population.csv",
                 colClasses = c(province = "character", size = "character"))
names(pop2)[3] <- "Freq"
d2$w1 <- 1
des2 <- svydesign(ids = ~1, strata = ~size, weights = ~w1, data = d2)
run_case(suppressWarnings(postStratify(des2, ~province + size, pop2, partial = TRUE)), "caseC")
# D: weight column, strata = size, post-stratified to province counts.
pop1 <- read.csv("tests/data/survey/ref1-population.csv", colClasses = c(province = "character"))
names(pop1)[2] <- "Freq"
des1 <- svydesign(ids = ~1, strata = ~size, weights = ~weight, data = d1)
run_case(postStratify(des1, ~province, pop1), "caseD")
