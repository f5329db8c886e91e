# Issue 12, item 1 in the statistical readers: two Stata files of the same
# three answers to q_online_sales (an amount in million đồng, 0 decimals
# declared by tests/data/method-test.json).
#   trust-typed.dta  q_online_sales numeric: 40.573, 15, 1250000 (stored
#                    numbers, read as they are, 40.573 never taken for 40573: total 1250055.573)
#   trust-text.dta   q_online_sales a string: "1.250", "15.000",
#                    "1.250.000" (typed by people, read by the column rule:
#                    total 1266250)
# Run: Rscript tests/reference/trust-statfiles.R tests/data/statfile
library(haven)
out <- commandArgs(trailingOnly = TRUE)[1]
base <- data.frame(respondent_id = c("r1", "r2", "r3"), province = c("01", "01", "79"),
                   year = c(2024, 2024, 2024), Email = c(1, 1, 1), stringsAsFactors = FALSE)
typed <- base
typed$q_online_sales <- c(40.573, 15, 1250000)
write_dta(typed, file.path(out, "trust-typed.dta"), version = 15)
text <- base
text$q_online_sales <- c("1.250", "15.000", "1.250.000")
write_dta(text, file.path(out, "trust-text.dta"), version = 15)
