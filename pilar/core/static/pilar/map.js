// The coverage map: the children of a region coloured by one indicator (#map-data),
// drawn with Leaflet from a TopoJSON layer; no tiles. A click opens the area's own map
// (or, for a kecamatan, its dashboard). The table below the map holds the same figures.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("map-data").textContent);
  const values = {};
  config.areas.forEach(function (area) { values[area.code] = area; });
  const lang = document.documentElement.lang || "id";
  const shades = ["#f1f7f4", "#c7e3d6", "#8cc5aa", "#4a9d7a", "#0b6e4f"];
  // Classes by the data's own spread: the areas at 0 apart (the lightest), the others
  // in up to four classes of as many areas each (quantiles), so that 14 regencies at
  // 0 % and one at 9.2 % show as "none" and "the most", not as one pale band.
  const above = config.areas.map(function (area) { return area.value; })
    .filter(function (value) { return value > 0; }).sort(function (a, b) { return a - b; });
  const limits = [];
  for (let index = 1; index <= 4 && above.length; index++) {
    const limit = above[Math.min(above.length - 1, Math.ceil(above.length * index / 4) - 1)];
    if (!limits.length || limit > limits[limits.length - 1]) limits.push(limit);
  }
  const classes = limits.map(function (limit, index) {
    return shades[shades.length - limits.length + index];
  });
  function shade(value) {
    if (!(value > 0)) return shades[0];
    for (let index = 0; index < limits.length; index++) {
      if (value <= limits[index]) return classes[index];
    }
    return classes[classes.length - 1];
  }
  function format(value) {
    const text = value.toLocaleString(lang, { maximumFractionDigits: 1 });
    return config.percent ? text + " %" : text;
  }
  const map = L.map("map", { zoomControl: true, attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("cahyadsn/wilayah_boundaries (MIT)");
  fetch(config.layer).then(function (response) { return response.json(); }).then(function (topology) {
    const collection = topojson.feature(topology, topology.objects[config.object]);
    collection.features = collection.features.filter(function (feature) {
      return feature.id in values && (config.prefix === "" || feature.id.indexOf(config.prefix) === 0);
    });
    const layer = L.geoJSON(collection, {
      style: function (feature) {
        return { color: "#1d2a33", weight: 1, fillOpacity: 0.85, fillColor: shade(values[feature.id].value) };
      },
      onEachFeature: function (feature, shape) {
        const area = values[feature.id];
        shape.options.className = "area area-" + feature.id.replace(/\./g, "-");
        shape.bindTooltip(area.name + ": " + format(area.value));
        shape.on("click", function () {
          window.location.href = config.drill
            ? config.target + "?region=" + area.code + "&" + config.query
            : config.dashboard + "?region=" + area.code;
        });
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    if (collection.features.length <= 40) {  // few areas: their names on the map
      layer.eachLayer(function (shape) {
        const area = values[shape.feature.id];
        L.tooltip({ permanent: true, direction: "center", className: "area-name", interactive: false })
          .setLatLng(shape.getBounds().getCenter()).setContent(area.name).addTo(map);
      });
    }
    document.getElementById("map").dataset.areas = String(collection.features.length);
    const legend = document.getElementById("legend");
    legend.replaceChildren();
    // Built node by node: the page's Content-Security-Policy refuses style attributes in HTML.
    function entry(colour, text) {
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = colour;
      item.append(swatch, " " + text);
      item.dataset.colour = colour;
      legend.appendChild(item);
    }
    if (config.legend) {
      const title = document.createElement("strong");
      title.textContent = config.legend;
      legend.appendChild(title);
    }
    entry(shades[0], format(0));
    let lower = above.length ? above[0] : 0;
    limits.forEach(function (limit, index) {
      entry(classes[index], lower === limit ? format(limit) : format(lower) + "–" + format(limit));
      const next = above.find(function (value) { return value > limit; });
      lower = next === undefined ? limit : next;
    });
  });
})();
