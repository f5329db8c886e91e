#!/bin/sh
# Re-make the SPSS, Stata and SAS copies of the reference survey
# (tests/data/statfile/) with R's haven, and the SPSS portable copy with
# ReadStat's converter (Debian package readstat), which haven lacks, and
# the legacy-encoding copies of tests/data/legacy (make-legacy.py).
# Run from the repository root; the outputs are committed.
set -e
python3 tests/data/legacy/make-legacy.py
Rscript tests/reference/statfiles.R
rm -f tests/data/statfile/ref1.por
readstat tests/data/statfile/por-source.sav tests/data/statfile/ref1.por
rm -f tests/data/statfile/por-source.sav
