#!/usr/bin/env bash
# Installs what the web page's test needs (ServeTests.testWebPageTranslatesInHeadlessChromium, through
# Scripts/web-page-check.py): headless Chromium and its WebDriver from Debian, selenium from PyPI. CI runs
# it; without them the test is skipped with a message. Debian/Ubuntu only.
set -euo pipefail
need=()
command -v chromium > /dev/null 2>&1 || need+=(chromium)
command -v chromedriver > /dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing ${need[*]} ..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" > /dev/null
fi
# A Python without pip, or one that refuses packages (PEP 668), leaves the test to skip, not CI to stop.
python3 -c 'import selenium' 2> /dev/null || python3 -m pip install -q selenium \
    || echo "warning: could not install selenium with pip; the web page's browser test will be skipped" >&2
