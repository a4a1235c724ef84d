#!/usr/bin/env python3
"""Checks the web page of `s2s serve` in a real browser (headless Chromium, driven by selenium).

    Scripts/web-page-check.py URL TEXT EXPECTED [SCREENSHOT.png]

Opens URL, types TEXT into the text area, clicks Translate, waits for the translation, and checks that it
contains EXPECTED and that an attention heat map (an SVG with one square per weight) was drawn. Prints the
translation; exits 0 if all holds, 1 if not, 2 if the browser is not installed (Debian: chromium,
chromium-driver; pip: selenium). With SCREENSHOT, saves the page as a PNG (the README's picture).
"""
import shutil
import sys

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("selenium is not installed (pip install selenium)", file=sys.stderr)
    sys.exit(2)

url, text, expected = sys.argv[1:4]
screenshot = sys.argv[4] if len(sys.argv) > 4 else None
browser = shutil.which("chromium") or shutil.which("chromium-browser")
driver_path = shutil.which("chromedriver")
if not browser or not driver_path:
    print("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)", file=sys.stderr)
    sys.exit(2)

options = Options()
options.binary_location = browser
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,760"):
    options.add_argument(flag)
# The driver's path is given, so selenium never tries to download one.
driver = webdriver.Chrome(service=Service(driver_path), options=options)
try:
    driver.get(url)
    box = driver.find_element(By.ID, "source")
    box.clear()
    box.send_keys(text)
    driver.find_element(By.ID, "translate").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".translation"))
    got = driver.find_element(By.CSS_SELECTOR, ".translation").text
    squares = driver.find_elements(By.CSS_SELECTOR, "#output svg rect")
    print(got)
    print(f"heat map squares: {len(squares)}")
    if screenshot:
        driver.save_screenshot(screenshot)
    sys.exit(0 if expected in got and squares else 1)
finally:
    driver.quit()
