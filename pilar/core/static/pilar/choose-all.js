/* A checkbox with data-choose-all="NAME" checks or clears every checkbox NAME of its form. */
(function () {
  "use strict";
  document.querySelectorAll("[data-choose-all]").forEach(function (all) {
    var name = all.getAttribute("data-choose-all");
    var boxes = function () { return all.form.querySelectorAll("input[type=checkbox][name='" + name + "']"); };
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    all.form.addEventListener("change", function (event) {
      if (event.target === all || event.target.name !== name) return;
      var list = Array.prototype.slice.call(boxes());
      all.checked = list.every(function (box) { return box.checked; });
    });
  });
})();
