# CLI tests of the write side of `chiso serve` (issue 15): `chiso users`,
# then the sanitised server on a demo store with accounts, driven by
# tests/cli/intake_api.py (credentials, roles and scope, CSRF, a replayed
# invitation, login limits, hostile input, 413, a zip bomb, a 10^6-column
# CSV, uploads, the questionnaire, publication, the audit log); TLS with
# a self-signed certificate; the warning for a non-loopback address
# without TLS.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REL=${CHISO_RELEASE:-$CHISO}
[ -x "$REL" ] || REL=$CHISO
SPID=""
trap '[ -n "$SPID" ] && kill "$SPID" 2>/dev/null; rm -rf "$TMP"' EXIT

# stop_server LOG NAME: SIGTERM, expect exit 0 and the "stopped" line in LOG.
stop_server() {
  kill -TERM "$SPID"
  wait "$SPID"
  local rc=$?
  SPID=""
  if [ "$rc" -eq 0 ] && grep -q "^chiso serve: stopped" "$1"; then ok "$2"; else fail "$2" "exit $rc" "$(tail -5 "$1")"; fi
}

# ---- chiso users -------------------------------------------------------------------------------
DB="$TMP/demo/chiso.db"
run "$CHISO" users
expect_rc users-no-subcommand 1
run "$CHISO" users add --name x --role admin
expect_rc users-needs-db 1
expect_err users-needs-db-msg "--db FILE is required"
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role province
expect_rc users-province-needs-units 1
expect_err users-province-needs-units-msg "a province account needs 1 to 63 units"
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role king
expect_rc users-bad-role 1
run "$CHISO" users add --db "$TMP/u.db" --name "bad name" --role viewer
expect_rc users-bad-name 1
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role province --units Atlantis --year 2025
expect_rc users-bad-unit 1
expect_err users-bad-unit-msg "not a unit of 2025"
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role province --units "Bình Dương" --year 2025
expect_rc users-former-province 1
expect_err users-former-province-msg "not a unit of 2025: Bình Dương (part of 79 Hồ Chí Minh since 2025)"
echo "short" > "$TMP/pw"
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role viewer --password-stdin < "$TMP/pw"
expect_rc users-short-password 1
printf 'hcm-officer-pw\n' > "$TMP/pw"
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role province --units "TP.HCM,Đồng Nai,79" --year 2025 --password-stdin --token ci < "$TMP/pw"
expect_rc users-add 0
expect_eq users-token-printed "$(printf '%s' "$OUT" | grep -c '^chiso_[A-Za-z0-9_-]\{43\}$')" 1
run "$CHISO" users list --db "$TMP/u.db" --format csv
expect_out users-list-scope "p1,province,2025,75 79,no,1,"
run "$CHISO" users add --db "$TMP/u.db" --name p1 --role viewer
expect_rc users-add-twice 0
expect_err users-add-twice-msg "exists already"
run "$CHISO" users disable --db "$TMP/u.db" --name p1
expect_rc users-disable 0
run "$CHISO" users list --db "$TMP/u.db" --format json
expect_out users-list-disabled '"disabled": true'
run "$CHISO" users disable --db "$TMP/u.db" --name nobody
expect_rc users-disable-unknown 2
if grep -a -q "hcm-officer-pw" "$TMP/u.db"; then fail users-no-clear-password "the password is in the store"; else ok users-no-clear-password; fi
run "$CHISO" users list --db "$TMP/none.db"
expect_rc users-list-missing-store 2

# ---- a demo store with accounts ------------------------------------------------------------------
"$REL" demo --out "$TMP/demo" --respondents 2000 --seed 3 >/dev/null 2>&1
"$REL" synth --year 2025 --respondents 2000 --seed 11 --out "$TMP/s.csv" >/dev/null 2>&1
user() { # NAME ROLE PASSWORD [ARGS...]: add an account, print its token
  local name=$1 role=$2 pw=$3
  shift 3
  printf '%s\n' "$pw" | "$REL" users add --db "$DB" --name "$name" --role "$role" --password-stdin --token ci "$@" 2>/dev/null
}
ROOT_TOKEN=$(user root admin "root-password-1")
HN_TOKEN=$(user hn province "hanoi-password-1" --units 01 --year 2025)
HCM_TOKEN=$(user hcm province "hcm-password-1" --units 79 --year 2025)
VIEWER_TOKEN=$(user viewer1 viewer "viewer-password-1")
GONE_TOKEN=$(user gone viewer "gone-password-1")
"$REL" users disable --db "$DB" --name gone 2>/dev/null
# a token of the admin that leaked: revoked alone, the admin's other token still works
LEAKED_TOKEN=$("$REL" users token --db "$DB" --name root --label leaked 2>/dev/null)
run "$REL" users revoke --db "$DB" --name root --label leaked
expect_rc users-revoke 0
expect_err users-revoke-said '1 token of root labelled "leaked" revoked'
run "$REL" users revoke --db "$DB" --name root --label leaked
expect_rc users-revoke-again 2
expect_err users-revoke-again-msg 'no live token labelled "leaked"'
run "$REL" users revoke --db "$DB" --name root
expect_rc users-revoke-needs-label 1
run "$REL" users token --db "$DB" --name root --label month --days 30
expect_rc users-token-days 0
expect_eq users-token-days-printed "$(printf '%s' "$OUT" | grep -c '^chiso_[A-Za-z0-9_-]\{43\}$')" 1
run "$REL" users token --db "$DB" --name root --label never --days 0
expect_rc users-token-days-zero 1
# every token with its expiry and state: root's "ci" live for ever, "leaked"
# revoked, "month" live for 30 days from its creation, one expired
"$REL" users token --db "$DB" --name viewer1 --label short --days 1 >/dev/null 2>&1
sqlite3 "$DB" "UPDATE intake_tokens SET expires = strftime('%s','now') - 60 WHERE label = 'short'"
run "$CHISO" users tokens --db "$DB" --name root --format csv
expect_rc users-tokens 0
expect_eq users-tokens-rows "$(printf '%s\n' "$OUT" | cut -d, -f1,2,4,5 | grep -v '^name' | sed 's/,20[0-9-]*T[0-9:]*Z,/,DATE,/' | tr '\n' ';')" \
  "root,ci,never,live;root,leaked,never,revoked;root,month,DATE,live;"
month=$(printf '%s\n' "$OUT" | grep '^root,month,')
created=$(printf '%s' "$month" | cut -d, -f3)
expires=$(printf '%s' "$month" | cut -d, -f4)
expect_eq users-tokens-30-days "$(( $(date -u -d "$expires" +%s) - $(date -u -d "${created%.*}Z" +%s) ))" $((30 * 86400))
run "$CHISO" users tokens --db "$DB" --format json
expect_out users-tokens-expired '"label": "short",'
expect_eq users-tokens-expired-state "$(printf '%s\n' "$OUT" | grep -A3 '"label": "short"' | grep -c '"state": "expired"')" 1
expect_eq users-tokens-no-secret "$(printf '%s\n' "$OUT" | grep -c 'chiso_')" 0
run "$CHISO" users tokens --db "$DB" --name nobody
expect_rc users-tokens-unknown 2
expect_err users-tokens-unknown-msg "no account named nobody"
run "$REL" users list --db "$DB" --days 3
expect_rc users-days-not-for-list 1
expect_err users-days-not-for-list-msg "--days is the life of a new token"
cat > "$TMP/accounts.json" <<EOF
{"root_token": "$ROOT_TOKEN", "root_password": "root-password-1", "hn_token": "$HN_TOKEN",
 "hn_password": "hanoi-password-1", "hcm_token": "$HCM_TOKEN", "viewer_token": "$VIEWER_TOKEN",
 "viewer_password": "viewer-password-1", "disabled_token": "$GONE_TOKEN", "revoked_token": "$LEAKED_TOKEN"}
EOF

LOG="$TMP/serve.log"
MAXUP=8388608
mkdir "$TMP/up" # the server's TMPDIR: its uploads, and no other run's
if TMPDIR="$TMP/up" serve_start "$LOG" http --db "$DB" --listen 127.0.0.1:0 --threads 4 --max-upload 8M --upload-cpu 10 --upload-mem 1536; then
  ok intake-server-starts
else
  fail intake-server-starts "$(cat "$LOG")"
fi
expect_eq intake-banner "$(grep -c 'with the write side' "$LOG")" 1
if ! (cd "$TMP" && python3 "$HERE/intake_api.py" "$PORT" "$DB" "$TMP/accounts.json" "$TMP" "$MAXUP"); then
  fail intake-api-script "intake_api.py failed (above)"
fi
run sqlite3 "$DB" "PRAGMA integrity_check"
expect_eq intake-integrity "$OUT" "ok"
# no upload is left behind in the private directory (which is there)
expect_eq intake-uploads-dir "$(find "$TMP/up" -maxdepth 1 -type d -name 'chiso-uploads-*' | wc -l)" 1
expect_eq intake-uploads-removed "$(find "$TMP/up" -mindepth 2 -type f | wc -l)" 0
stop_server "$LOG" intake-server-stops

# ---- SPSS and Stata uploads: the same import workflow as the CLI ---------------------------------------
SDB="$TMP/stat.db"
STOK=$("$REL" users add --db "$SDB" --name root --role admin --token ci </dev/null 2>/dev/null)
LOG="$TMP/stat.log"
if serve_start "$LOG" http --db "$SDB" --listen 127.0.0.1:0 --method "$PWD/tests/data/survey/ref-method.json" \
    --upload-cpu 20; then ok stat-server-starts; else fail stat-server-starts "$(cat "$LOG")"; fi
code=$(curl -s -o "$TMP/dta.json" -w '%{http_code}' -H "Authorization: Bearer $STOK" \
  -F "file=@tests/data/statfile/ref1.dta" "http://127.0.0.1:$PORT/api/v1/surveys?year=2024")
expect_eq upload-dta-201 "$code" 201
expect_eq upload-dta-rows "$(sed -n 's/.*"rows": \([0-9]*\).*/\1/p' "$TMP/dta.json" | head -1)" 330
code=$(curl -s -o "$TMP/sav.json" -w '%{http_code}' -H "Authorization: Bearer $STOK" \
  -F "file=@tests/data/statfile/ref1.sav" "http://127.0.0.1:$PORT/api/v1/surveys?year=2024")
expect_eq upload-sav-dupes-422 "$code" 422
expect_eq upload-sav-dupes-located "$(grep -c -e '"where": "ref1.sav:1:1"' -e 'case 1, variable respondent_id: respondent id' "$TMP/sav.json")" 2
run "$REL" imports --db "$SDB" --format csv
expect_eq upload-sav-nothing-stored "$(printf '%s\n' "$OUT" | grep -c 'ref1.sav')" 0
stop_server "$LOG" stat-server-stops

# ---- the audit log from the command line: read, verify, tampering found ---------------------------
run "$CHISO" audit-log --db "$DB" --format csv --action upload --limit 2
expect_rc audit-log-list 0
expect_out audit-log-list-head "id,at,actor,via,address,action,target,detail,sha256,chain"
expect_eq audit-log-list-rows "$(printf '%s\n' "$OUT" | grep -c ',upload,')" 2
run "$CHISO" audit-log --db "$DB" --verify
expect_rc audit-log-verify 0
expect_out audit-log-verify-holds "entries checked: the chain holds"
cp "$DB" "$TMP/tampered.db"
sqlite3 "$TMP/tampered.db" "UPDATE intake_audit SET actor='someone-else' WHERE id=5"
run "$CHISO" audit-log --db "$TMP/tampered.db" --verify
expect_rc audit-log-changed-entry 2
expect_err audit-log-changed-entry-msg "the chain breaks at entry 5 of"
cp "$DB" "$TMP/tampered.db"
sqlite3 "$TMP/tampered.db" "DELETE FROM intake_audit WHERE id=7"
run "$CHISO" audit-log --db "$TMP/tampered.db" --verify
expect_rc audit-log-removed-entry 2
expect_err audit-log-removed-entry-msg "the chain breaks at entry 8 of"
# the head: the newest entry's chain, recomputed here from the documented
# formula (SHA-256 over the previous chain and the fields, each followed by
# 0x1F); kept, it shows what the chain alone cannot
chains() { # DB [ID NEWACTOR]: every entry's chain recomputed (and with
           # ID's actor changed, the log written anew with those chains)
  python3 - "$@" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = "id, at, actor, via, address, action, target, detail, sha256"
rows = [list(r) for r in db.execute("SELECT " + cols + " FROM intake_audit ORDER BY id")]
prev = ""
for r in rows:
    if len(sys.argv) > 3 and r[0] == int(sys.argv[2]):
        r[2] = sys.argv[3]
    h = hashlib.sha256()
    for part in [prev, str(r[0])] + r[1:]:
        h.update(part.encode() + b"\x1f")
    prev = h.hexdigest()
    if len(sys.argv) > 3:
        db.execute("UPDATE intake_audit SET actor = ?, chain = ? WHERE id = ?", (r[2], prev, r[0]))
    last = r[0]
db.commit()
print("%d:%s" % (last, prev))
PY
}
run "$CHISO" audit-log --db "$DB" --verify
HEAD=$(printf '%s\n' "$OUT" | sed -n 's/^head: //p')
expect_eq audit-log-head-recomputed "$HEAD" "$(chains "$DB")"
run "$CHISO" audit-log --db "$DB" --verify --head "$HEAD"
expect_rc audit-log-head-holds 0
expect_out audit-log-head-holds-msg "the head you kept (entry ${HEAD%%:*}) is in the chain"
cp "$DB" "$TMP/tampered.db"
sqlite3 "$TMP/tampered.db" "DELETE FROM intake_audit WHERE id >= ${HEAD%%:*} - 1"
run "$CHISO" audit-log --db "$TMP/tampered.db" --verify
expect_rc audit-log-cut-end-unseen-by-chain 0 # why the head is kept
run "$CHISO" audit-log --db "$TMP/tampered.db" --verify --head "$HEAD"
expect_rc audit-log-cut-end 2
expect_err audit-log-cut-end-msg "entry ${HEAD%%:*} of the head you kept is gone: the log now ends at entry $((${HEAD%%:*} - 2))"
cp "$DB" "$TMP/tampered.db"
chains "$TMP/tampered.db" 3 someone-else >/dev/null # an entry changed, every chain after it forged
run "$CHISO" audit-log --db "$TMP/tampered.db" --verify
expect_rc audit-log-forged-unseen-by-chain 0
run "$CHISO" audit-log --db "$TMP/tampered.db" --verify --head "$HEAD"
expect_rc audit-log-forged 2
expect_err audit-log-forged-msg "entry ${HEAD%%:*} does not have the chain of the head you kept"
run "$CHISO" audit-log --db "$DB" --verify --head "${HEAD%%:*}:abc"
expect_rc audit-log-bad-head 1
expect_err audit-log-bad-head-msg "is not ID:CHAIN"
run "$CHISO" audit-log --db "$DB" --head "$HEAD"
expect_rc audit-log-head-needs-verify 1
run "$CHISO" audit-log --db "$TMP/none.db" --verify
expect_rc audit-log-missing-store 2
run "$CHISO" audit-log --verify
expect_rc audit-log-needs-db 1

# ---- TLS -----------------------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -days 1 \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
LOG="$TMP/tls.log"
if serve_start "$LOG" https --db "$DB" --listen 127.0.0.1:0 --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"; then
  ok tls-starts
else
  fail tls-starts "$(cat "$LOG")"
fi
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/api/v1/years")
expect_eq tls-serves "$code" 200
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/years")
expect_eq tls-no-plain-http "$code" 000
curl -sk -c "$TMP/jar" -b "$TMP/jar" "https://127.0.0.1:$PORT/vi/login" -o "$TMP/login.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$TMP/login.html" | head -1)
curl -sk -c "$TMP/jar" -b "$TMP/jar" -D "$TMP/h" -o /dev/null -H "Origin: https://127.0.0.1:$PORT" \
  --data-urlencode "csrf=$csrf" --data-urlencode "name=hn" --data-urlencode "password=hanoi-password-1" \
  "https://127.0.0.1:$PORT/vi/login"
expect_eq tls-cookie-secure "$(grep -ci '^set-cookie: __Host-chiso_session=.*HttpOnly; SameSite=Strict.*; Secure' "$TMP/h")" 1
expect_eq tls-login "$(curl -sk -b "$TMP/jar" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$PORT/vi/intake")" 200
stop_server "$LOG" tls-stops
run "$CHISO" serve --db "$DB" --tls-cert "$TMP/cert.pem"
expect_rc tls-needs-both 1

# ---- beyond loopback without TLS: a warning ----------------------------------------------------
LOG="$TMP/wide.log"
if serve_start "$LOG" http --db "$DB" --listen 0.0.0.0:0; then ok wide-starts; else fail wide-starts "$(cat "$LOG")"; fi
expect_eq wide-warns-no-tls "$(grep -c 'warning: no TLS: passwords, session cookies and uploads cross the network in clear text' "$LOG")" 1
stop_server "$LOG" wide-stops
