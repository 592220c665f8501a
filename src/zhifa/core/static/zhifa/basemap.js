/* The light base under a Leaflet map when there is no tile server (monitoring/basemap.py): the county's
   outline, rivers, roads and towns from the configured GeoJSON, or a plain grid of longitude/latitude lines
   when there is none; and, on every map, a metric scale bar and a north arrow. Everything is drawn on the
   map's canvas (preferCanvas) in greys, blues and ambers: the track's own colours stay distinct. */
(function () {
  "use strict";
  var STYLE = {
    boundary: {color: "#8a8f98", weight: 1.5, dashArray: "6 4", fill: true, fillColor: "#eef0e6", fillOpacity: 0.6},
    water: {color: "#9cc3e6", weight: 5},
    expressway: {color: "#e08a1e", weight: 4},
    national: {color: "#d9534f", weight: 3},
    provincial: {color: "#e6b422", weight: 2.5}
  };
  function labelled(el, text) { el.textContent = text; return el; }  // names are data: never HTML

  function northArrow(map) {
    var North = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var div = L.DomUtil.create("div", "zhifa-north");
        div.setAttribute("title", "上方为正北");
        div.style.cssText = "background:rgba(255,255,255,.85);border:1px solid #999;border-radius:4px;" +
          "padding:2px 6px;text-align:center;font:bold 13px sans-serif;line-height:1.1;color:#333";
        div.innerHTML = '<svg width="18" height="22" viewBox="0 0 18 22" aria-hidden="true">' +
          '<polygon points="9,0 17,21 9,16 1,21" fill="#333"/></svg><br>北';
        return div;
      }
    });
    new North().addTo(map);
  }

  function grid(map, bounds) {
    var b = bounds.pad(0.5);
    var span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth());
    var step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5].find(function (s) { return span / s <= 12; }) || 5;
    var layer = L.layerGroup();
    var style = {color: "#c8c8c8", weight: 2, interactive: false};  // 2 px: whole pixels, not blended halves
    for (var x = Math.floor(b.getWest() / step) * step; x <= b.getEast(); x += step) {
      L.polyline([[b.getSouth(), x], [b.getNorth(), x]], style).addTo(layer);
    }
    for (var y = Math.floor(b.getSouth() / step) * step; y <= b.getNorth(); y += step) {
      L.polyline([[y, b.getWest()], [y, b.getEast()]], style).addTo(layer);
    }
    return layer.addTo(map);
  }

  /* Sets the map's view and draws its base. base: a FeatureCollection or null; tiles: whether a tile layer
     is drawn; around: the bounds of the page's own features, or null when it has none (the view is then the
     base's). Call it before adding the page's own layers: the canvas paints in the order layers are added,
     so the base stays underneath. */
  window.zhifaBaseMap = function (map, base, tiles, around) {
    var fallback = L.latLngBounds([[23.1, 111.4], [23.3, 111.6]]);
    var layer = null;
    if (!tiles && base && base.features && base.features.length) {
      layer = L.geoJSON(base, {
        interactive: false,
        style: function (f) { return STYLE[(f.properties || {}).kind] || {color: "#b0b0b0", weight: 1.5}; },
        pointToLayer: function (f, ll) {
          var m = L.circleMarker(ll, {radius: 3, color: "#555", weight: 1, fillColor: "#fff", fillOpacity: 1});
          if ((f.properties || {}).name) {
            m.bindTooltip(labelled(document.createElement("span"), f.properties.name),
                          {permanent: true, direction: "right", className: "zhifa-town", offset: [4, 0]});
          }
          return m;
        }
      });
    }
    map.fitBounds(around ? around.pad(0.1) : (layer ? layer.getBounds() : fallback));
    if (layer) { layer.addTo(map); } else if (!tiles) { grid(map, map.getBounds()); }
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    northArrow(map);
  };
})();
