/* Draws the maps of a page with Leaflet: no base map from the internet, only the
   server's GeoJSON (styled by the server), the outline of the data's extent and a
   legend. Sets data-state="ready" and data-features on the map when drawn. */
(function () {
  "use strict";

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    el.textContent = content;
    return el;
  }

  function popup(feature, layer) {
    var props = feature.properties || {};
    var keys = Object.keys(props);
    if (!keys.length) { return; }
    var table = document.createElement("table");
    keys.forEach(function (key) {
      var row = document.createElement("tr");
      row.appendChild(text("th", key));
      row.appendChild(text("td", props[key] === null ? "" : String(props[key])));
      table.appendChild(row);
    });
    layer.bindPopup(table);
  }

  function legend(el, entries) {
    var box = document.getElementById(el.id + "-legend");
    if (!box) { return; }
    var list = box.querySelector("ul");
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      if (entry.shape !== "heading") {
        var swatch = text("span", "", "swatch " + entry.shape);
        swatch.setAttribute("aria-hidden", "true");
        if (entry.fill) { swatch.style.background = entry.fill; }
        item.appendChild(swatch);
      }
      item.appendChild(text("span", entry.label));
      list.appendChild(item);
    });
  }

  function draw(el) {
    var layers = JSON.parse(el.getAttribute("data-layers"));
    var map = L.map(el, {attributionControl: false, zoomSnap: 0.25, maxZoom: 19});
    var bounds = null;
    var drawn = 0;
    var entries = [];
    Promise.all(layers.map(function (layer) {
      return fetch(layer.url, {credentials: "same-origin"}).then(function (answer) {
        if (!answer.ok) { throw new Error(layer.url + ": " + answer.status); }
        return answer.json();
      });
    })).then(function (collections) {
      var shown = [];
      collections.forEach(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            return Object.assign({weight: 1, opacity: 1, fillOpacity: 0.75}, feature.style || {});
          },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, Object.assign(
              {radius: 4, weight: 1, fillOpacity: 0.85}, feature.style || {}));
          },
          onEachFeature: popup
        });
        shown.push(layer);
        drawn += data.features.length;
        if (data.bbox) {
          var box = L.latLngBounds([data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]]);
          shown.push(L.rectangle(box, {color: "#555", weight: 1.5, dashArray: "6 4",
                                       fill: false, interactive: false}));
          bounds = bounds ? bounds.extend(box) : box;
        } else if (data.features.length) {
          bounds = bounds ? bounds.extend(layer.getBounds()) : layer.getBounds();
        }
        data.legend.forEach(function (entry) {
          if (!entries.some(function (e) { return e.label === entry.label; })) {
            entries.push(entry);
          }
        });
      });
      // Leaflet draws vector layers only on a map that has a view
      if (bounds) { map.fitBounds(bounds.pad(0.05), {maxZoom: 16}); } else { map.setView([51.2, 10.4], 5); }
      shown.forEach(function (layer) { layer.addTo(map); });
      legend(el, entries);
      el.setAttribute("data-features", String(drawn));
      el.setAttribute("data-state", "ready");
    }).catch(function (error) {
      el.setAttribute("data-state", "error");
      el.appendChild(text("p", String(error), "alert bad"));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".map[data-layers]"), draw);
})();
