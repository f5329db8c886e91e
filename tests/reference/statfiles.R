# statfiles.R — SPSS, Stata and SAS copies of the R-survey reference survey
# (tests/data/survey/ref1.csv, whose estimates R's survey package gives in
# tests/reference/caseA.csv), written with haven, independently of chiso.
# The copies are committed (tests/data/statfile/), so `make check` needs
# neither R nor haven; tests/cli/test_statfile.sh checks that chiso's
# estimates from each copy equal caseA.csv to 1e-9.
#   Rscript tests/reference/statfiles.R      (from the repository root)
#
# What each copy stores as an analyst's file would:
#   ref1.sav   SPSS: the province as its GSO code (1, 79, ...) labelled with
#              its name; yes/no as 1/0 labelled Có/Không; the size class as
#              1..5 labelled micro..giant; the software question labelled
#              with words that are not the codebook's labels (the codes
#              must be used); missing answers as system missing and as
#              user-defined missing codes (9 = "Không trả lời", 999);
#              variable labels ("Tỉnh/Thành phố" on a variable named
#              matinh); a date and a text variable the codebook ignores.
#   ref1.zsav  the same, zlib-compressed.
#   ref1.dta   Stata 14 (UTF-8): the same labels; missing answers as
#              Stata's system missing and the extended missing values .a
#              and .b.
#   ref1.xpt   SAS transport (version 8): plain codes, no value labels
#              (the format has none), variable labels.
#   ref1.sas7bdat  SAS: the same plain codes.
#   ref1-tcvn3.sav, ref1-vni.dta  the SPSS and Stata copies with every
#              label and text in the legacy encodings TCVN3 and VNI.
#   old12.dta  Stata 12 with UTF-8 text in TCVN3 letters (not the
#              Windows-1252 Stata 12 implies): read byte for byte.
#   bad.sav, bad.dta  the first 12 cases with three bad answers.
#   ref1.por   SPSS portable: written from ref1.sav by ReadStat's own
#              converter (`readstat ref1.sav ref1.por`), as haven cannot
#              write .por; see make-statfiles.sh.
suppressMessages(library(haven))

d <- read.csv("tests/data/survey/ref1.csv", colClasses = c(
  respondent_id = "character", province = "character", size = "character"),
  encoding = "UTF-8")
prov <- read.csv("data/provinces/provinces.csv", colClasses = "character",
                 encoding = "UTF-8")
out <- "tests/data/statfile"

codes <- sort(unique(d$province))
prov_labels <- setNames(as.numeric(codes), prov$name_vi[match(codes, prov$code_2008)])
sizes <- c("micro", "small", "medium", "large", "giant")
size_labels <- setNames(as.numeric(seq_along(sizes)), sizes)
yesno <- c("Có" = 1, "Không" = 0)
soft <- c("Không dùng" = 0, "Cơ bản" = 1, "Phần mềm ERP" = 2, "Khác" = 3)

n <- nrow(d)
# Rows whose missing answers become user-defined (SPSS) or extended
# (Stata) missing values instead of system missing: every third one.
alt <- seq_len(n) %% 3 == 0
day <- as.Date("2024-03-01") + (seq_len(n) %% 28)
note <- ifelse(seq_len(n) %% 2 == 0, "hộ cá nhân", "doanh nghiệp")

label_var <- function(x, lab) { attr(x, "label") <- lab; x }

## SPSS ---------------------------------------------------------------------
web <- ifelse(is.na(d$q_web) & alt, 9, d$q_web)
rev <- ifelse(is.na(d$q_rev_pct) & alt, 999, d$q_rev_pct)
sav <- data.frame(
  respondent_id = label_var(d$respondent_id, "Mã doanh nghiệp"),
  matinh = labelled(as.numeric(d$province), prov_labels, label = "Tỉnh/Thành phố"),
  size = labelled(as.numeric(match(d$size, sizes)), size_labels, label = "Quy mô"),
  weight = label_var(d$weight, "Trọng số"),
  q_email = labelled(d$q_email, yesno, label = "Dùng email"),
  q_web = labelled_spss(web, c(yesno, "Không trả lời" = 9), na_values = 9,
                        label = "Có website"),
  q_rev_pct = labelled_spss(rev, c("Không trả lời" = 999), na_values = 999,
                            label = "Tỷ lệ doanh thu trực tuyến (%)"),
  q_sales = d$q_sales,
  q_employees = d$q_employees,
  q_soft = labelled(d$q_soft, soft, label = "Phần mềm quản lý"),
  ngay = label_var(day, "Ngày phỏng vấn"),
  ghichu = label_var(note, "Ghi chú"),
  stringsAsFactors = FALSE)
write_sav(sav, file.path(out, "ref1.sav"))
write_sav(sav, file.path(out, "ref1.zsav"), compress = "zsav")

## Stata ----------------------------------------------------------------------
tag <- function(x, t) { x[is.na(x) & alt] <- tagged_na(t); x }
dta <- sav
dta$q_web <- labelled(tag(d$q_web, "a"), c(yesno, "Không trả lời" = tagged_na("a")),
                      label = "Có website")
dta$q_rev_pct <- labelled(tag(d$q_rev_pct, "b"), label = "Tỷ lệ doanh thu trực tuyến (%)")
write_dta(dta, file.path(out, "ref1.dta"), version = 14)

## SAS --------------------------------------------------------------------------
plain <- data.frame(
  respondent_id = d$respondent_id,
  matinh = label_var(as.numeric(d$province), "Tỉnh/Thành phố"),
  size = d$size,
  weight = d$weight,
  q_email = d$q_email, q_web = d$q_web, q_rev_pct = d$q_rev_pct,
  q_sales = d$q_sales, q_employees = d$q_employees, q_soft = d$q_soft,
  ngay = day,
  stringsAsFactors = FALSE)
write_xpt(plain, file.path(out, "ref1.xpt"), version = 8)
suppressWarnings(write_sas(plain, file.path(out, "ref1.sas7bdat")))

## SPSS portable: names of at most 8 capital letters and digits, so the
## codebook's longer ids are the variable labels (matched like headers);
## ASCII text only (the format's own character set), so the labels are
## Vietnamese without diacritics, as in old files. Written as a .sav
## here; make-statfiles.sh converts it and removes the .sav with ReadStat's own converter.
por <- sav
ascii <- function(lab) setNames(unname(lab), iconv(names(lab), "UTF-8", "ASCII//TRANSLIT"))
por$matinh <- labelled(as.numeric(d$province),
                       setNames(as.numeric(codes), prov$name_ascii[match(codes, prov$code_2008)]),
                       label = "Tinh/Thanh pho")
por$q_email <- labelled(as.numeric(d$q_email), c("Co" = 1, "Khong" = 0), label = "Dung email")
por$q_web <- labelled_spss(web, c("Co" = 1, "Khong" = 0, "Khong tra loi" = 9), na_values = 9,
                           label = "Co website")
por$q_rev_pct <- labelled_spss(rev, c("Khong tra loi" = 999), na_values = 999)
por$q_soft <- labelled(as.numeric(d$q_soft), ascii(soft))
por$ngay <- day
por$ghichu <- ifelse(seq_len(n) %% 2 == 0, "ho ca nhan", "doanh nghiep")
for (v in names(por)) if (!is.null(attr(por[[v]], "label")))
  attr(por[[v]], "label") <- iconv(attr(por[[v]], "label"), "UTF-8", "ASCII//TRANSLIT")
names(por) <- c("ID", "MATINH", "SIZE", "WEIGHT", "QEMAIL", "QWEB", "QREV",
                "QSALES", "QEMP", "QSOFT", "NGAY", "GHICHU")
attr(por$ID, "label") <- "respondent_id"
attr(por$QREV, "label") <- "q_rev_pct"
attr(por$QEMP, "label") <- "q_employees"
write_sav(por, file.path(out, "por-source.sav"))

## Legacy text: every label and text value in TCVN3 (the SPSS copy) and
## VNI (the Stata copy), as an old file declared in Windows-1252 holds them
## once read as Unicode ("Hµ Néi", "Haø Noäi"); the strings come from
## tests/data/legacy/labels.csv (make-legacy.py: glibc's iconv for TCVN3,
## the VNI font table for VNI).
leg <- read.csv("tests/data/legacy/labels.csv", colClasses = "character", encoding = "UTF-8")
L <- function(x, col) { i <- match(x, leg$text); ifelse(is.na(i), x, leg[[col]][i]) }
to_legacy <- function(df, col) {
  for (v in names(df)) {
    x <- df[[v]]
    if (!is.null(attr(x, "label"))) attr(x, "label") <- L(attr(x, "label"), col)
    labs <- attr(x, "labels")
    if (!is.null(labs)) { names(labs) <- L(names(labs), col); attr(x, "labels") <- labs }
    if (is.character(x)) x[] <- L(as.vector(x), col)
    df[[v]] <- x
  }
  df
}
write_sav(to_legacy(sav, "tcvn3"), file.path(out, "ref1-tcvn3.sav"))
write_dta(to_legacy(dta, "vni"), file.path(out, "ref1-vni.dta"), version = 14)

## An old Stata file (format 115, Stata 12, which implies Windows-1252)
## holding UTF-8 text, as a modern program may write it, and that text in
## TCVN3 letters: ReadStat cannot convert it; chiso reads it byte for byte
## and recognises both layers.
old <- data.frame(respondent_id = d$respondent_id,
  matinh = labelled(as.numeric(d$province), setNames(as.numeric(codes), L(names(prov_labels), "tcvn3")),
                    label = L("Tỉnh/Thành phố", "tcvn3")),
  size = d$size, weight = d$weight,
  q_email = labelled(as.numeric(d$q_email), setNames(c(1, 0), L(c("Có", "Không"), "tcvn3"))),
  stringsAsFactors = FALSE)
write_dta(old, file.path(out, "old12.dta"), version = 12)

## Bad answers, for the located errors: case 5 answers 7 to q_email (not
## labelled), case 8 is in province 99 labelled "Atlantis", case 9 in 98
## without a label.
bad <- sav[1:12, ]
em <- as.numeric(bad$q_email); em[5] <- 7
bad$q_email <- labelled(em, yesno, label = "Dùng email")
pr <- as.numeric(bad$matinh); pr[8] <- 99; pr[9] <- 98
bad$matinh <- labelled(pr, c(prov_labels, "Atlantis" = 99), label = "Tỉnh/Thành phố")
write_sav(bad, file.path(out, "bad.sav"))
write_dta(bad, file.path(out, "bad.dta"), version = 14)

# Check the copies read back as the survey (independently of chiso).
back <- read_sav(file.path(out, "ref1.sav"), user_na = FALSE)
stopifnot(identical(as.numeric(back$q_web), as.numeric(d$q_web)),
          identical(as.numeric(back$q_rev_pct), as.numeric(d$q_rev_pct)),
          identical(as.numeric(back$weight), d$weight))
back <- read_dta(file.path(out, "ref1.dta"))
stopifnot(identical(is.na(back$q_web), is.na(d$q_web)),
          sum(is_tagged_na(back$q_web, "a")) > 0)
cat("statfiles.R: wrote", n, "rows to", out, "\n")
