"""The player behind ``ag.animate``: frames read from the recorded pass (``frames``), the
tagged SVG they change (``graph``), and the page's front end as real files — player.js,
player.css, graph.css, fragment.html, page.html — inlined when a page is written."""
