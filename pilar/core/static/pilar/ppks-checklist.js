// The PPKS criteria checklist (beneficiaries.forms.ChecklistField): in each form, show
// the conditions of the PPKS types chosen in it, hide the others. Without this script
// every type's conditions show, and the server keeps only those of the chosen types.
function chosenTypes(form) {
  const chosen = new Set();
  for (const field of form.querySelectorAll("input[data-ppks-types]:checked, select[data-ppks-types]")) {
    if (field.value) chosen.add(field.value);
  }
  return chosen;
}

function showChecklists(form) {
  const chosen = chosenTypes(form);
  for (const group of form.querySelectorAll("fieldset.criteria")) {
    group.hidden = !chosen.has(group.dataset.ppks);
  }
}

for (const form of document.querySelectorAll("form")) {
  if (!form.querySelector("fieldset.criteria")) continue;
  showChecklists(form);
  form.addEventListener("change", () => showChecklists(form));
}

// A form emptied after saving (the field app's) shows no checklist again; the reset
// event comes before the fields are emptied.
for (const form of document.querySelectorAll("form")) {
  if (form.querySelector("fieldset.criteria")) {
    form.addEventListener("reset", () => setTimeout(() => showChecklists(form)));
  }
}
