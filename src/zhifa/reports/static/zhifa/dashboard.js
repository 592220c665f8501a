/* 指挥中心: draws the figures' trends, cases by state and stations' overload rate with ECharts (vendored,
   offline), and refreshes every 60 s from /reports/dashboard.json without reloading the page. Every chart
   element clicks through to the records it counts. Values are data: set as text, never HTML. */
(function () {
  "use strict";
  var charts = {};
  function chart(el) {
    if (!charts[el.id || el.dataset.key]) { charts[el.id || el.dataset.key] = echarts.init(el); }
    return charts[el.id || el.dataset.key];
  }
  function go(items) { return function (p) { var it = items[p.dataIndex]; if (it && it.link) { location.href = it.link; } }; }
  function draw(d) {
    document.getElementById("dash-today").textContent = d.today;
    d.figures.forEach(function (f) {
      var tile = document.querySelector('.dash-tile[data-ind="' + f.id + '"]');
      if (!tile) { return; }
      var m = tile.querySelector(".dash-month");
      m.textContent = (f.month === null ? "—" : f.month) + " " + f.unit;
      var t = tile.querySelector(".dash-day");
      if (t) { t.textContent = f.today + " " + f.unit; }
      var el = tile.querySelector(".dash-trend");
      el.dataset.key = "trend-" + f.id;
      var c = chart(el);
      c.setOption({grid: {left: 4, right: 4, top: 4, bottom: 4}, xAxis: {type: "category", show: false, data: f.months},
        yAxis: {type: "value", show: false}, tooltip: {trigger: "axis"},
        series: [{type: "line", data: f.trend, smooth: true, symbolSize: 4}]});
    });
    [["dash-overdue", d.overdue_total], ["dash-c-overdue", d.complaints_overdue], ["dash-c-due", d.complaints_due],
     ["dash-alarms", d.alarms]].forEach(function (p) { document.getElementById(p[0]).textContent = p[1]; });
    var s = chart(document.getElementById("chart-states"));
    s.setOption({tooltip: {}, series: [{type: "pie", radius: "65%", data: d.states}]});
    s.off("click"); s.on("click", go(d.states));
    var st = chart(document.getElementById("chart-stations"));
    st.setOption({tooltip: {}, grid: {left: 100}, xAxis: {type: "value", max: 100, name: "%"},
      yAxis: {type: "category", data: d.stations.map(function (x) { return x.name; })},
      series: [{type: "bar", data: d.stations.map(function (x) { return x.value; })}]});
    st.off("click"); st.on("click", go(d.stations));
  }
  draw(JSON.parse(document.getElementById("dash-data").textContent));

  var md = JSON.parse(document.getElementById("map-data").textContent);
  var map = L.map("dash-map", {preferCanvas: true});
  if (md.tiles) { L.tileLayer(md.tiles, {maxZoom: 18}).addTo(map); }
  var markers = L.layerGroup().addTo(map);
  var framed = false;
  function positions() {
    fetch("/reports/dashboard/positions.json", {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        markers.clearLayers();
        var pts = [];
        p.vehicles.forEach(function (v) {
          var m = L.circleMarker([v.lat, v.lon], {radius: v.alarm ? 6 : 4, color: v.alarm ? "#c00" : "#1f5fa8",
                                                 fillOpacity: 0.8});
          var a = document.createElement("a");
          a.href = v.link;
          a.textContent = v.plate + " " + v.at + (v.speed === null ? "" : " " + Math.round(v.speed) + " km/h") +
            (v.alarm ? " 有待处理报警" : "");
          m.bindPopup(a).addTo(markers);
          pts.push([v.lat, v.lon]);
        });
        if (!framed) { zhifaBaseMap(map, md.base, md.tiles, pts.length ? L.latLngBounds(pts) : null); framed = true; }
        document.getElementById("map-count").textContent = p.vehicles.length;
        document.getElementById("map-alarms").textContent = p.alarms;
      });
  }
  positions();
  setInterval(positions, 60000);
  setInterval(function () {
    fetch("/reports/dashboard.json", {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { draw(d); } });
  }, 60000);
})();
