// Web admin helpers: copy buttons and confirmations. Loaded from our own origin (no inline
// script), so pages with a strict Content-Security-Policy can use base.html too. The texts
// come from escaped data attributes, never from strings built into this script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  var text = source.value !== undefined ? source.value : source.textContent;
  navigator.clipboard.writeText(text).then(function () {
    var label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
// Time-zone pickers marked data-browser-timezone start on the browser's own zone. Browsers
// report ICU's (CLDR's) IDs, some of which are old tz names the list leaves out as aliases.
var TZ_ALIASES = {
  "Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu", "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh", "Europe/Kiev": "Europe/Kyiv", "Europe/Uzhgorod": "Europe/Kyiv",
  "Europe/Zaporozhye": "Europe/Kyiv", "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca", "America/Cordoba": "America/Argentina/Cordoba",
  "America/Jujuy": "America/Argentina/Jujuy", "America/Mendoza": "America/Argentina/Mendoza",
  "America/Indianapolis": "America/Indiana/Indianapolis", "America/Louisville": "America/Kentucky/Louisville",
  "America/Godthab": "America/Nuuk", "Atlantic/Faeroe": "Atlantic/Faroe", "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei", "Pacific/Enderbury": "Pacific/Kanton", "Etc/UTC": "UTC", "Etc/GMT": "UTC"
};
document.querySelectorAll("select[data-browser-timezone]").forEach(function (select) {
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  var wanted = [zone, TZ_ALIASES[zone]];
  for (var w = 0; w < wanted.length; w++) {
    for (var i = 0; i < select.options.length; i++) {
      if (wanted[w] && select.options[i].value === wanted[w]) {
        select.value = wanted[w];
        return;
      }
    }
  }
});
