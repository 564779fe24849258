// The coverage map: the children of a region coloured by one indicator (#map-data),
// drawn with Leaflet from a TopoJSON layer; no tiles. A click opens the area's own map
// (or, for a kecamatan, its dashboard). The table below the map holds the same figures.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("map-data").textContent);
  const values = {};
  config.areas.forEach(function (area) { values[area.code] = area; });
  const numbers = config.areas.map(function (area) { return area.value; });
  const top = Math.max.apply(null, numbers.concat([0]));
  const shades = ["#f1f7f4", "#c7e3d6", "#8cc5aa", "#4a9d7a", "#0b6e4f"];
  // Five equal steps up to the largest value: whole numbers for counts, tenths for
  // small rates (PPKS records per village), fifths of 100 for percentages.
  const limits = shades.map(function (_, index) {
    const step = top * (index + 1) / shades.length;
    if (config.percent) return (index + 1) * 20;
    return top >= 10 ? Math.ceil(step) : Math.ceil(step * 10) / 10;
  });
  function shade(value) {
    for (let index = 0; index < limits.length; index++) {
      if (value <= limits[index]) return shades[index];
    }
    return shades[shades.length - 1];
  }
  function format(value) { return config.percent ? value + "%" : value.toLocaleString("id-ID"); }
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
    document.getElementById("map").dataset.areas = String(collection.features.length);
    const legend = document.getElementById("legend");
    legend.innerHTML = "";
    let lower = 0;
    shades.forEach(function (colour, index) {
      // Built node by node: the page's Content-Security-Policy refuses style attributes in HTML.
      const item = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = colour;
      item.append(swatch, " " + format(lower) + "–" + format(limits[index]));
      legend.appendChild(item);
      lower = limits[index];
    });
  });
})();
