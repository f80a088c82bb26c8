"""The Odoo 19 web client loads in real Chromium against a real server,
styled, with no console error and no ERROR in the server log (the
foundation's acceptance check of `make run`)."""

import urllib.request

from playwright.sync_api import sync_playwright

from .server import OdooServer, launch_chromium

# the first page of a fresh database compiles its asset bundles (SCSS)
FIRST_LOAD_TIMEOUT = 180000


def test_login_page_and_web_client_load_without_console_error():
    with OdooServer() as server:
        with urllib.request.urlopen(server.url + "/web/login") as response:
            assert response.status == 200
            assert b'name="password"' in response.read()
        problems = []
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(60000)
            page.on(
                "console", lambda msg: msg.type == "error" and problems.append(msg.text)
            )
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on(
                "response",
                lambda r: (
                    r.status >= 400 and problems.append("%s %s" % (r.status, r.url))
                ),
            )
            page.goto(server.url + "/web/login")
            # the login page is styled too (web.assets_frontend)
            login_button = page.eval_on_selector(
                "button[type=submit]", "e => getComputedStyle(e).backgroundColor"
            )
            page.fill("input[name=login]", "admin")
            page.fill("input[name=password]", "admin")
            page.click("button[type=submit]")
            page.wait_for_url("**/odoo**", timeout=FIRST_LOAD_TIMEOUT)
            page.wait_for_selector(
                "body.o_web_client .o_main_navbar .o_navbar_apps_menu",
                timeout=FIRST_LOAD_TIMEOUT,
            )
            # the apps menu lists Manufacturing; opening it shows its sections,
            # Job Orders among them, and its default view
            page.click(".o_main_navbar .o_navbar_apps_menu button")
            page.click('.o-dropdown-item.o_app[data-menu-xmlid="mrp.menu_mrp_root"]')
            page.wait_for_selector(
                '.o_main_navbar .o_menu_brand:has-text("Manufacturing")'
            )
            page.wait_for_selector(
                ".o_main_navbar .o_menu_sections "
                '[data-menu-xmlid="mrp_job_order.menu_mrp_job_order_root"]'
            )
            page.wait_for_selector(".o_action_manager .o_control_panel")
            page.wait_for_selector(".o_action_manager .o_content")
            assert "Manufacturing" in page.inner_text(".o_main_navbar")
            # styles compiled from SCSS: the navbar has its brand colour and height
            navbar = page.eval_on_selector(
                ".o_main_navbar",
                """e => {
                const style = getComputedStyle(e);
                return [style.backgroundColor, style.height, style.display];
            }""",
            )
            browser.close()
        assert navbar[0] not in ("rgba(0, 0, 0, 0)", "transparent"), (
            "web client loaded without styles"
        )
        assert navbar[1:] == ["46px", "flex"], (
            "web client loaded without styles: %s" % navbar
        )
        assert login_button not in ("rgba(0, 0, 0, 0)", "transparent"), (
            "login page loaded without styles"
        )
        assert problems == []
        assert server.log_errors() == []
