#!/usr/bin/python3
"""Walk Ferrite's accessibility tree over AT-SPI, as a screen reader sees it.

    a11y-walk.py --pid PID [--wait S] [--quiet]
                 [--expect ROLE=TEXT ...] [--type KEYS --announced ROLE=TEXT ...]

Fails (status 1) when a control a person operates has no name (none, or
only GTK's fallback: its type name, such as "GtkImage"), when no node with
role ROLE has a name containing TEXT (--expect), or when, after typing KEYS
with xdotool, no node with role ROLE announces a name containing TEXT
(--announced: a name-change event, which screen readers speak). Status 2:
the application or AT-SPI is not there.

Run with /usr/bin/python3 (python3-gi, gir1.2-atspi-2.0) inside the
application's session bus (gui-session.sh).
"""
import argparse
import re
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

R = Atspi.Role
OPERATED = {
    R.PUSH_BUTTON, R.TOGGLE_BUTTON, R.CHECK_BOX, R.RADIO_BUTTON, R.TEXT, R.ENTRY,
    R.PASSWORD_TEXT, R.SPIN_BUTTON, R.SLIDER, R.SCROLL_BAR, R.COMBO_BOX, R.MENU_ITEM,
    R.CHECK_MENU_ITEM, R.RADIO_MENU_ITEM, R.LINK, R.PAGE_TAB, R.LIST_BOX, R.LIST,
    R.LIST_ITEM, R.TREE, R.TABLE, R.DIAL, R.FRAME, R.DIALOG, R.ALERT, R.LEVEL_BAR,
}
TYPE_NAME = re.compile(r"^(Gtk|Adw|Fer)[A-Z][A-Za-z0-9]*$")


def role_text(spec):
    role, _, text = spec.partition("=")
    return role.strip(), text


def find_app(pid, wait):
    deadline = time.monotonic() + wait
    while True:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid and app.get_child_count() > 0:
                    return app
            except GLib.Error:
                pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.2)


def walk(app, quiet):
    """All nodes as (depth, role name, name, node); problems found."""
    nodes, problems = [], []

    def visit(node, depth, path):
        if node is None or depth > 80 or len(nodes) > 20000:
            return
        try:
            role, role_name, name = node.get_role(), node.get_role_name(), node.get_name() or ""
        except GLib.Error as e:
            problems.append(f"{path}: unreadable ({e.message})")
            return
        nodes.append((depth, role_name, name, node))
        here = f"{path}/{role_name}" + (f"[{name}]" if name else "")
        unnamed = role in OPERATED and (not name.strip() or TYPE_NAME.match(name))
        if unnamed:
            problems.append(f"{here}: no name" + (f" (only its type: {name})" if name else ""))
        if not quiet:
            print(f"{'  ' * depth}[{role_name}] {name!r}" + ("   <-- NO NAME" if unnamed else ""))
        for i in range(node.get_child_count()):
            visit(node.get_child_at_index(i), depth + 1, here)

    visit(app, 0, "")
    return nodes, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--wait", type=float, default=20)
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--expect", action="append", default=[], metavar="ROLE=TEXT")
    ap.add_argument("--type", dest="keys", metavar="KEYS", help="xdotool key arguments")
    ap.add_argument("--announced", action="append", default=[], metavar="ROLE=TEXT")
    args = ap.parse_args()

    # GTK 4.8 has no AT-SPI cache object; libatspi says so once per app.
    GLib.log_set_handler("dbind", GLib.LogLevelFlags.LEVEL_WARNING,
                         lambda d, l, m, *_: None if "/org/a11y/atspi/cache" in m
                         else print(f"({d}) {m}", file=sys.stderr), None)
    Atspi.set_timeout(5000, 15000)  # a hung app fails the test, never hangs it
    try:
        app = find_app(args.pid, args.wait)
    except GLib.Error as e:
        print(f"a11y-walk: no AT-SPI: {e.message}", file=sys.stderr)
        return 2
    if app is None:
        print(f"a11y-walk: no application with pid {args.pid} on the bus", file=sys.stderr)
        return 2

    failures = []
    nodes, problems = walk(app, args.quiet)
    failures += problems

    for spec in args.expect:
        role, text = role_text(spec)
        deadline = time.monotonic() + args.wait
        while not any(r == role and text in n for _, r, n, _ in nodes):
            if time.monotonic() > deadline:
                failures.append(f"no {role} named with “{text}”")
                break
            time.sleep(0.3)
            nodes, _ = walk(app, True)

    if args.keys:
        heard = []
        wanted = [role_text(s) for s in args.announced]

        def on_event(event):
            # what a screen reader would say: the name, and for a value or a
            # description that changed, that too
            try:
                src = event.source
                said = src.get_name() or ""
                if event.type.endswith("accessible-description"):
                    said += " " + (src.get_description() or "")
                elif event.type.endswith("accessible-value"):
                    value = src.get_value_iface()
                    if value is not None:
                        said += " " + (value.get_text() if hasattr(value, "get_text") else "") \
                                + f" {value.get_current_value():.0f}"
                heard.append((src.get_role_name(), said, event.type))
            except GLib.Error:
                pass

        listener = Atspi.EventListener.new(on_event)
        for kind in ("object:property-change:accessible-name",
                     "object:property-change:accessible-value",
                     "object:property-change:accessible-description"):
            listener.register(kind)
        subprocess.run(["xdotool", "key", "--delay", "40"] + args.keys.split(), check=True)
        context = GLib.MainContext.default()
        deadline = time.monotonic() + args.wait

        def satisfied():
            return all(any(r == role and text in n for r, n, _ in heard) for role, text in wanted)

        while not satisfied() and time.monotonic() < deadline:
            context.iteration(False)
            time.sleep(0.02)
        for role, text in wanted:
            if not any(r == role and text in n for r, n, _ in heard):
                failures.append(f"no {role} announced “{text}” after the keys; heard: "
                                + "; ".join(f"{r} {n!r}" for r, n, _ in heard[-10:]))
        for kind in ("object:property-change:accessible-name",
                     "object:property-change:accessible-value",
                     "object:property-change:accessible-description"):
            listener.deregister(kind)

    for f in failures:
        print(f"PROBLEM {f}")
    print(f"a11y-walk: {len(nodes)} nodes, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
