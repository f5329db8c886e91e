# audit.R — golden numbers for tests/test_audit.c from base R:
# cor (pearson, spearman), Cronbach's alpha by its formula, prcomp(scale=TRUE),
# e1071-type-2 skew/kurtosis as in COINr. Output: tests/reference/out/audit.txt
X <- data.frame(a = c(1, 2, 3, 4, 5, 6), b = c(2, 1, 4, 3, 6, 5), c = c(1, 3, 2, 5, 4, 9))
options(digits = 17)
print(cor(X$a, X$c))
print(cor(X$b, X$c, method = "spearman"))
k <- 3
print(k / (k - 1) * (1 - sum(apply(X, 2, var)) / var(rowSums(X))))
p <- prcomp(X, center = TRUE, scale. = TRUE)
print(p$sdev^2 / sum(p$sdev^2))
l <- p$rotation[, 1]; if (sum(l) < 0) l <- -l; print(l)
print(cor(c(1, 2, 2, 3), c(1, 3, 3, 2), method = "spearman"))
