# CLI tests of the foundation: help, version, usage errors, provinces, resolve.
. "$(dirname "$0")/lib.sh"

run "$CHISO" --version
expect_rc version-exit 0
expect_out version-text "chiso "

run "$CHISO" --help
expect_rc help-exit 0
expect_out help-lists-provinces "provinces"
expect_out help-lists-resolve "resolve"

run "$CHISO" frobnicate
expect_rc unknown-command-exit 1
expect_err unknown-command-msg "unknown command 'frobnicate'"

run "$CHISO" --bogus
expect_rc unknown-global-flag 1

run "$CHISO" provinces --bogus
expect_rc unknown-flag-exit 1
expect_err unknown-flag-msg "chiso provinces:"

run "$CHISO" provinces --help
expect_rc provinces-help 0
expect_out provinces-help-text "Usage: chiso provinces"

run "$CHISO" resolve --help
expect_rc resolve-help 0

run "$CHISO" provinces --year abc
expect_rc bad-year 1

run "$CHISO" provinces --year 2024 --format csv
expect_rc provinces-2024 0
expect_eq provinces-2024-rows "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)" 63
expect_out provinces-2024-header "code,name,name_ascii,iso_3166_2,region,region_id,code_2025,name_2025"
expect_out provinces-2024-bd "74,Bình Dương,Binh Duong,VN-57,Đông Nam Bộ,dnb,79,Hồ Chí Minh"

run "$CHISO" provinces --year 2025 --format csv
expect_eq provinces-2025-rows "$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)" 34
expect_out provinces-2025-header "members"
expect_out provinces-2025-hcm "79,Hồ Chí Minh,Ho Chi Minh,,Đông Nam Bộ,dnb,74;77;79,Bình Dương;Bà Rịa - Vũng Tàu;Hồ Chí Minh"

run "$CHISO" provinces --year 2030 --format json
expect_rc provinces-json 0
expect_out provinces-json-units '"units": 34'

run "$CHISO" provinces --year 2024
expect_out provinces-table "Hồ Chí Minh"

run "$CHISO" resolve --year 2024 "TP.HCM" "Hoà Bình" "BR-VT"
expect_rc resolve-ok 0
expect_eq resolve-lines "$OUT" "$(printf '79\tHồ Chí Minh\n17\tHòa Bình\n77\tBà Rịa - Vũng Tàu')"

run "$CHISO" resolve --year 2025 "Bình Dương"
expect_rc resolve-old-name 0
expect_eq resolve-old-name-out "$OUT" "$(printf '79\tHồ Chí Minh')"
expect_err resolve-old-name-note "part of 79 Hồ Chí Minh"

run "$CHISO" resolve --year 2024 "Atlantis"
expect_rc resolve-unknown 2
expect_err resolve-unknown-msg 'unknown province: "Atlantis"'

run "$CHISO" resolve --year 2024 "DN"
expect_rc resolve-ambiguous 2
expect_err resolve-ambiguous-msg 'ambiguous province: "DN" could be: 48 Đà Nẵng, 75 Đồng Nai'

printf 'Hà Nội\nSài Gòn\n' > "$TMP/names.txt"
run "$CHISO" resolve --year 2024 - < "$TMP/names.txt"
expect_eq resolve-stdin "$OUT" "$(printf '01\tHà Nội\n79\tHồ Chí Minh')"

(cd /tmp && "$CHISO" provinces --year 2024 --format csv > "$TMP/anywhere.csv" 2>&1)
expect_eq works-from-any-dir "$(wc -l < "$TMP/anywhere.csv")" 64
