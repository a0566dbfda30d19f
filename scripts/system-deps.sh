#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if any are missing:
# PostgreSQL and Redis servers, Chromium for browser tests, and the English
# hunspell dictionary that Elasticsearch uses for stemming, HAProxy for the
# cluster tests (`make cluster`), and Node.js with npm to install the axe-core
# the accessibility tests inject into pages, and GNU gettext, which `make messages`
# and the translation tests use to extract and check the site's strings, and wrk, the HTTP
# load generator `make bench-http` drives against the served site.
set -euo pipefail

packages=(postgresql redis-server chromium hunspell-en-us unzip haproxy gettext wrk)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Any Node.js with npm will do (some installs bundle npm with nodejs).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
  "${missing[@]}" >/dev/null
