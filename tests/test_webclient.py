"""The web client loads in real Chromium against a real server, with no
console error (the foundation's acceptance check of `make run`)."""
import urllib.request

from playwright.sync_api import sync_playwright

from .server import OdooServer, launch_chromium


def test_login_page_and_web_client_load_without_console_error():
    with OdooServer() as server:
        with urllib.request.urlopen(server.url + '/web/login') as response:
            assert response.status == 200
            assert b'name="password"' in response.read()
        problems = []
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page()
            page.on('console', lambda msg: msg.type == 'error' and problems.append(msg.text))
            page.on('pageerror', lambda exc: problems.append(str(exc)))
            page.on('response', lambda r: r.status >= 400 and problems.append(
                '%s %s' % (r.status, r.url)))
            page.goto(server.url + '/web/login')
            page.fill('input[name=login]', 'admin')
            page.fill('input[name=password]', 'admin')
            page.click('button[type=submit]')
            page.wait_for_selector('body.o_web_client nav.navbar .oe_application_menu_placeholder', timeout=60000)
            page.wait_for_selector('.o_main_content .o_control_panel', timeout=60000)
            assert 'Manufacturing' in page.inner_text('nav.navbar')
            # styles compiled by lessc: the navbar gets its theme colour
            colour = page.eval_on_selector('nav.navbar', 'e => getComputedStyle(e).backgroundColor')
            browser.close()
        assert colour not in ('rgba(0, 0, 0, 0)', 'transparent'), 'web client loaded without styles'
        assert problems == []
        assert server.log_errors() == []
