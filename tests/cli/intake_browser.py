#!/usr/bin/env python3
"""Browser test of the write side of `chiso serve` for
tests/cli/test_intake_browser.sh (issue 15): Debian's chromium driven by
chromium-driver through python3-selenium. A province officer logs in,
uploads a file with a planted error and sees it in the problems table,
fixes it and uploads again, makes an invitation, an enterprise fills the
questionnaire (a bad answer first, shown next to its question), the
officer publishes. Markup planted in a stratum and in a file name is shown
as text and never runs (no alert, no element made). Screenshots go to
SCREENS. Prints "ok NAME" / "FAIL NAME".

Usage: intake_browser.py PORT SCREENS GOOD.csv BAD.csv PASSWORD"""
import os
import sys

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servetest import check, chromium, done  # noqa: E402

PORT, SCREENS, GOOD, BAD, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
BASE = "http://127.0.0.1:%d" % PORT
XSS = "<img src=x onerror=alert(1)>"

d = chromium(window="1280,1000")
wait = WebDriverWait(d, 300)


def shot(name):
    d.set_window_size(1280, max(1000, min(6000, d.execute_script("return document.body.scrollHeight"))))
    d.save_screenshot(os.path.join(SCREENS, name + ".png"))
    d.set_window_size(1280, 1000)


def no_alert():
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def submit(form_id):
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.CSS_SELECTOR, "#%s button[type=submit]" % form_id).click()
    wait.until(lambda drv: old.id != drv.find_element(By.TAG_NAME, "html").id)


try:
    # ---- log in ------------------------------------------------------------------------------------
    d.get(BASE + "/vi/intake")
    check("browser-desk-needs-login", "/vi/login" in d.current_url, d.current_url)
    d.find_element(By.NAME, "name").send_keys("hn")
    d.find_element(By.NAME, "password").send_keys(PASSWORD)
    shot("01-login")
    submit("login-form")
    check("browser-login", d.current_url.endswith("/vi/intake") and "hn" in d.find_element(By.ID, "who").text,
          d.current_url)
    shot("02-desk")

    # ---- a file with a planted error, then fixed ----------------------------------------------------
    d.find_element(By.ID, "upload-file").send_keys(BAD)
    submit("upload-form")
    rows = d.find_elements(By.CSS_SELECTOR, "#problems tbody tr")
    cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")] if rows else []
    check("browser-upload-problem-shown", rows and cells[0].endswith(":3:%s" % cells[0].split(":")[-1])
          and "q_online_rev_pct" in cells and "150" in cells, cells)
    check("browser-xss-file-name-text", XSS in d.find_element(By.ID, "problems").text + d.page_source.replace("&lt;", "<").replace("&gt;", ">")
          and not d.find_elements(By.CSS_SELECTOR, "img[src=x]") and no_alert())
    # in Vietnamese on the Vietnamese page, the library's English message kept after it
    result = d.find_element(By.ID, "result")
    check("browser-upload-refusal-vi", result.get_attribute("data-status") == "422"
          and result.text.startswith("Tệp chưa được nhận: dữ liệu có lỗi") and "Chi tiết (tiếng Anh):" in result.text,
          result.text)
    check("browser-upload-problem-vi", len(cells) == 4 and cells[3].startswith("Giá trị nằm ngoài khoảng cho phép.")
          and "Chi tiết (tiếng Anh):" in cells[3], cells)
    shot("03-upload-problems")
    d.get(BASE + "/vi/intake")
    d.find_element(By.ID, "upload-file").send_keys(GOOD)
    submit("upload-form")
    check("browser-upload-fixed", d.find_elements(By.ID, "imports") and not d.find_elements(By.ID, "problems"),
          d.find_element(By.TAG_NAME, "main").text[:300])
    shot("04-upload-ok")

    # ---- a quota whose stratum is markup: shown as text ------------------------------------------------
    d.get(BASE + "/vi/intake")
    d.find_element(By.ID, "quota-stratum").send_keys(XSS)
    d.find_element(By.ID, "quota-quota").send_keys("2")
    submit("quota-form")
    table = d.find_element(By.ID, "status-table").text
    check("browser-xss-stratum-text", XSS in table and not d.find_elements(By.CSS_SELECTOR, "img[src=x]")
          and no_alert(), table[:300])

    # ---- the quota and population of the stratum the enterprise answers in ---------------------------
    d.find_element(By.ID, "quota-stratum").send_keys("small")
    d.find_element(By.ID, "quota-quota").send_keys("5")
    d.find_element(By.ID, "quota-population").send_keys("400")
    submit("quota-form")

    # ---- an invitation, the questionnaire ---------------------------------------------------------------
    d.find_element(By.ID, "invite-kind-enterprise").click()
    d.find_element(By.ID, "invite-respondents").send_keys("ENT-BROWSER-1,small")
    submit("invite-form")
    links = d.find_elements(By.CSS_SELECTOR, "a.invite-link")
    check("browser-invitation", len(links) == 1, d.find_element(By.TAG_NAME, "main").text[:300])
    shot("05-invitation")
    survey = links[0].get_attribute("href")
    d.delete_all_cookies()  # the enterprise is not signed in
    d.get(survey)
    check("browser-survey-form", d.find_elements(By.ID, "survey-form") and
          "Doanh nghiệp có sử dụng email" in d.find_element(By.ID, "q-q_email").text)

    def answer(pct):
        for qid, value in (("q_email", "1"), ("q_internet", "1"), ("q_website", "1"), ("q_web_update", "weekly")):
            d.find_element(By.CSS_SELECTOR, "input[name=%s][value='%s']" % (qid, value)).click()
        d.find_element(By.CSS_SELECTOR, "input[name=q_software][value=erp]").click()
        box = d.find_element(By.NAME, "q_online_rev_pct")
        box.clear()
        box.send_keys(pct)

    answer("150")
    submit("survey-form")
    err = d.find_elements(By.CSS_SELECTOR, "#q-q_online_rev_pct .problem")
    check("browser-bad-answer-next-to-question", err and err[0].is_displayed(),
          d.find_element(By.TAG_NAME, "main").text[:400])
    check("browser-bad-answer-kept", d.find_element(By.NAME, "q_online_rev_pct").get_attribute("value") == "150")
    shot("06-survey-problem")
    box = d.find_element(By.NAME, "q_online_rev_pct")
    box.clear()
    box.send_keys("12,5")
    # the radio and checkbox answers were kept by the page
    check("browser-answers-kept", d.find_element(By.CSS_SELECTOR, "input[name=q_email][value='1']").is_selected())
    submit("survey-form")
    check("browser-survey-thanks", d.find_elements(By.ID, "thanks"), d.find_element(By.TAG_NAME, "main").text[:300])
    shot("07-survey-thanks")
    d.get(survey)
    h1 = d.find_elements(By.CSS_SELECTOR, "header h1")
    check("browser-survey-used", h1 and h1[0].text.startswith("410") and d.find_elements(By.ID, "error")
          and not d.find_elements(By.ID, "survey-form"), d.page_source[:300])

    # ---- publish ----------------------------------------------------------------------------------------
    d.get(BASE + "/vi/login")
    d.find_element(By.NAME, "name").send_keys("hn")
    d.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit("login-form")
    submit("publish-form")
    items = d.find_elements(By.CSS_SELECTOR, "#imports li")
    check("browser-published", len(items) == 1 and ": 1 dòng (mới)" in items[0].text,
          d.find_element(By.TAG_NAME, "main").text[:300])
    shot("08-published")
    d.get(BASE + "/en/intake")
    check("browser-desk-english", "Signed in" in d.find_element(By.ID, "who").text, d.find_element(By.ID, "who").text)
    shot("09-desk-en")
finally:
    d.quit()
done()
