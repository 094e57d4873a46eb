// The main menu (core/templates/core/nav.html) and the user's menu (base.html). Each group is a <details>, which
// opens with Enter or Space without any script; this adds what a menu bar is expected to do: one group open at a
// time, Escape closes the group and puts the focus back on its name, a click elsewhere or the focus moving on closes
// it; and, on a phone, the 菜单 button that shows the groups (the group of the page being shown already open) and
// the user's links.
(function () {
  "use strict";
  var PHONE = window.matchMedia("(max-width: 640px)");

  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.getElementById("mainnav");
    if (!nav) { return; }
    var bar = nav.closest(".topbar");
    var toggle = document.querySelector(".menu-toggle");
    var groups = Array.prototype.slice.call((bar || nav).querySelectorAll("details.navgroup"));
    var userMenu = bar && bar.querySelector("details.userdrop");

    function closeAll(except) {
      groups.forEach(function (d) { if (d !== except) { d.open = false; } });
    }
    function setMenu(open) {
      bar.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }

    if (toggle && bar) {
      toggle.addEventListener("click", function () {
        var open = !bar.classList.contains("menu-open");
        setMenu(open);
        var current = nav.querySelector(".navitem.current details.navgroup");
        if (open && current) { current.open = true; }
        if (open && userMenu && PHONE.matches) { userMenu.open = true; }
      });
    }

    groups.forEach(function (d) {
      // on a phone the groups stack, and several may stay open like the sections of a page
      d.addEventListener("toggle", function () { if (d.open && !PHONE.matches) { closeAll(d); } });
      // the focus leaving a group (Tab past its last link) closes it, as a menu does
      d.addEventListener("focusout", function (e) {
        if (!PHONE.matches && e.relatedTarget && !d.contains(e.relatedTarget)) { d.open = false; }
      });
    });

    document.addEventListener("click", function (e) {
      if (!PHONE.matches) { closeAll(e.target.closest ? e.target.closest("details.navgroup") : null); }
    });

    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") { return; }
      var focused = document.activeElement;
      var group = (focused && focused.closest && focused.closest("details.navgroup")) ||
        (bar || nav).querySelector("details.navgroup[open]");
      if (group && group.open) {
        group.open = false;
        group.querySelector("summary").focus();
        e.preventDefault();
      } else if (toggle && bar && bar.classList.contains("menu-open") && PHONE.matches) {
        setMenu(false);
        toggle.focus();
        e.preventDefault();
      }
    });
  });
})();
