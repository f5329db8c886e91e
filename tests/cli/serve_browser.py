#!/usr/bin/env python3
"""Browser tests of the dashboard for tests/cli/test_serve_browser.sh:
Debian's chromium driven by chromium-driver through python3-selenium.
Loads the overview, searches "Đà Nẵng", sorts (Vietnamese order), hovers the
map, opens a profile, compares two units, moves a what-if slider and sees
the ranking change, switches the language, and checks at 390 px that no
page scrolls sideways. Screenshots go to SCREENS. Prints "ok NAME" /
"FAIL NAME" lines; timings are printed, never asserted.

Usage: serve_browser.py PORT SCREENS"""
import os, sys, time, unicodedata

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servetest import check, chromium, done  # noqa: E402

PORT, SCREENS = int(sys.argv[1]), sys.argv[2]
BASE = "http://127.0.0.1:%d" % PORT


def shot(name):
    d.save_screenshot(os.path.join(SCREENS, name + ".png"))


# Vietnamese alphabetical order, worked out here independently of the
# browser: letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x
# y are distinct at the first level; tones (grave, acute, hook, tilde, dot)
# only break ties.
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


def vi_key(s):
    primary, tones = [], []
    for ch in unicodedata.normalize("NFD", s.lower()):
        if ch in TONES:
            tones.append(TONES[ch])
            continue
        if unicodedata.combining(ch) and primary:
            base = unicodedata.normalize("NFC", primary[-1][1] + ch)
            primary[-1] = (ALPHABET.index(base) if base in ALPHABET else 99, base)
            continue
        primary.append((ALPHABET.index(ch) if ch in ALPHABET else (-1 if ch == " " else 98), ch))
    return ([p for p, _ in primary], tones)


d = chromium(console_log=True)
wait = WebDriverWait(d, 120)


def visible_rows(table="#ranking"):
    return [r for r in d.find_elements(By.CSS_SELECTOR, table + " tbody tr") if r.is_displayed()]


def names(rows):
    return [r.get_attribute("data-name") for r in rows]


try:
    # ---- the overview ------------------------------------------------------------------------------
    d.get(BASE + "/vi/")
    check("overview-loads", "2025" in d.title and d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi",
          d.title)
    rows = visible_rows()
    check("overview-34-rows", len(rows) == 34, len(rows))
    # ranked units (rank cell data-v < 999) in score order; a unit the
    # methodology's ranking rule leaves out comes last, with its score
    cells = [r.find_elements(By.TAG_NAME, "td") for r in rows]
    ranked = [float(c[5].get_attribute("data-v")) for c in cells
              if float(c[0].get_attribute("data-v")) < 999 and float(c[5].get_attribute("data-v")) > -1e90]
    check("overview-score-order", ranked == sorted(ranked, reverse=True))
    shot("overview-1280")

    search = d.find_element(By.ID, "search")
    search.send_keys("Đà Nẵng")
    rows = visible_rows()
    check("search-accents", [r.get_attribute("data-code") for r in rows] == ["48"], names(rows))
    search.clear()
    search.send_keys("da nang")
    rows = visible_rows()
    check("search-folded", [r.get_attribute("data-code") for r in rows] == ["48"], names(rows))
    shot("overview-search")
    search.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    check("search-cleared", len(visible_rows()) == 34)

    name_th = d.find_element(By.XPATH, "//table[@id='ranking']/thead//th[normalize-space()='Tỉnh, thành phố']")
    name_th.click()
    got = names(visible_rows())
    want = sorted(got, key=vi_key)
    check("sort-vietnamese-order", got == want, got[:8], want[:8])
    check("sort-d-before-dj", got.index("Đồng Nai") > got.index("Điện Biên") > got.index("Đắk Lắk")
          > got.index("Đà Nẵng") > got.index("Cà Mau"))
    name_th.click()
    check("sort-reverses", names(visible_rows()) == want[::-1])
    score_th = d.find_element(By.XPATH, "//table[@id='ranking']/thead//th[normalize-space()='Điểm']")
    score_th.click()
    first = visible_rows()[0].get_attribute("data-code")
    check("sort-score-highest-first", first == "01", first)

    Select(d.find_element(By.ID, "topn")).select_by_value("10")
    check("top-n", len(visible_rows()) == 10, len(visible_rows()))
    Select(d.find_element(By.ID, "topn")).select_by_value("0")
    d.find_element(By.ID, "tiers").click()
    tier_th = d.find_element(By.CSS_SELECTOR, "#ranking th.tier")
    check("tiers-shown", tier_th.is_displayed())

    unit = d.find_element(By.CSS_SELECTOR, 'svg.map g[data-code="48"] path')
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", unit)
    ActionChains(d).move_to_element(unit).perform()
    wait.until(lambda _: "Đà Nẵng" in d.find_element(By.ID, "map-info").text)
    row = d.find_element(By.CSS_SELECTOR, '#ranking tr[data-code="48"]')
    check("map-hover", "hl" in row.get_attribute("class"), d.find_element(By.ID, "map-info").text)
    shot("overview-map-hover")

    # ---- a profile, from the table ---------------------------------------------------------------------
    link = d.find_element(By.CSS_SELECTOR, '#ranking tr[data-code="48"] td.unit a')
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    wait.until(lambda _: "/vi/p/48" in d.current_url)
    check("profile-opens", d.find_element(By.ID, "score").text.strip() != "" and
          "Quảng Nam" in d.find_element(By.ID, "formed-from").text, d.current_url)
    check("profile-sections", all(d.find_elements(By.ID, i) for i in
                                  ["pillars-table", "indicators-table", "series", "strengths", "weaknesses"]))
    shot("profile-48")

    # ---- compare two units --------------------------------------------------------------------------------
    d.get(BASE + "/vi/compare")
    Select(d.find_element(By.ID, "c1")).select_by_value("01")
    Select(d.find_element(By.ID, "c2")).select_by_value("79")
    d.find_element(By.ID, "compare-go").click()
    wait.until(lambda _: d.find_elements(By.ID, "compare-table"))
    heads = [th.text for th in d.find_elements(By.CSS_SELECTOR, "#compare-table thead th")]
    check("compare-two", heads[1:] == ["Hà Nội", "Hồ Chí Minh"], heads)
    shot("compare")

    # ---- what-if: a slider redraws the ranking ----------------------------------------------------------------
    d.get(BASE + "/vi/whatif")
    before = [r.get_attribute("data-code") for r in d.find_elements(By.CSS_SELECTOR, "#whatif-body tr")]
    slider = d.find_element(By.ID, "w-hr_it")
    t0 = time.monotonic()
    slider.send_keys(Keys.END)  # the largest weight: a keyboard move fires input events
    wait.until(lambda _: d.find_element(By.ID, "whatif-table").get_attribute("data-updated"))
    elapsed = time.monotonic() - t0
    after = [r.get_attribute("data-code") for r in d.find_elements(By.CSS_SELECTOR, "#whatif-body tr")]
    check("whatif-ranking-changes", after != before and sorted(after) == sorted(before), before[:6], after[:6])
    status = d.find_element(By.ID, "whatif-status").text
    print("# what-if redrawn %.0f ms after the key (incl. 120 ms debounce); the page says: %s" %
          (1000 * elapsed, status))
    check("whatif-url-keeps-weights", "w.hr_it=" in d.current_url, d.current_url)
    hrefs = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "#whatif-downloads a")]
    check("whatif-downloads-follow", hrefs and all("w.hr_it=" in h for h in hrefs), hrefs)
    shot("whatif")

    # ---- the language switch --------------------------------------------------------------------------------
    d.get(BASE + "/vi/p/79?year=2025")
    d.find_element(By.ID, "lang-switch").click()
    wait.until(lambda _: "/en/p/79" in d.current_url)
    check("language-switch", d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en" and
          "Overview" in d.find_element(By.ID, "nav").text and "year=2025" in d.current_url, d.current_url)

    # ---- a phone: no page scrolls sideways -------------------------------------------------------------------
    d.set_window_size(390, 844)
    wide = []
    for p in ["/vi/", "/en/", "/vi/p/48", "/vi/p/79?year=2023&units=34", "/vi/compare?codes=01,79,48,92",
              "/vi/whatif", "/en/methodology", "/vi/provenance", "/vi/?year=2022&units=63"]:
        d.get(BASE + p)
        sw, iw = d.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if sw > iw:
            wide.append((p, sw, iw))
        shot("phone" + p.replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-"))
    check("phone-no-sideways-scroll", not wide, wide)

    # ---- nothing went wrong in the browser (CSP violations, script errors) ---------------------------------------
    logs = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
    check("browser-console-clean", not logs, logs[:3])
finally:
    d.quit()
done()
