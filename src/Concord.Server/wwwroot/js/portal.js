// The portal's only script (served from 'self', no inline script, so the strict CSP holds).
// Everything it does is optional: without it the form still works (category search on the
// server, township/community list). With it: live category filter, the phone's position and a
// map pick (Leaflet over the townships' outlines, no tile server) fill the hidden lat/lon.
(function () {
  'use strict';
  var form = document.getElementById('portal-form');
  if (!form) { return; }

  var lat = document.getElementById('lat');
  var lon = document.getElementById('lon');
  var status = document.getElementById('position-status');

  // Live filter of the category choices as the resident types.
  var search = document.getElementById('category-search');
  if (search) {
    search.addEventListener('input', function () {
      var words = search.value.toLowerCase().split(/[\s,，]+/).filter(Boolean);
      form.querySelectorAll('[data-search]').forEach(function (label) {
        var text = label.getAttribute('data-search');
        label.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }

  var geo = form.querySelector('.portal-geo');
  if (!geo) { return; }
  geo.hidden = false;

  var marker = null;
  var map = null;
  function place(latitude, longitude, label) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    if (status) { status.textContent = (status.getAttribute('data-located') || '') + (label ? ' ' + label : ''); }
    if (map && window.L) {
      if (marker) { marker.setLatLng([latitude, longitude]); }
      else { marker = window.L.circleMarker([latitude, longitude], { radius: 9, color: '#b3261e', weight: 3, fillOpacity: 0.6 }).addTo(map); }
    }
  }

  var use = document.getElementById('use-position');
  if (use) {
    if (!navigator.geolocation) { use.hidden = true; }
    use.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(
        function (p) { place(p.coords.latitude, p.coords.longitude, ''); if (map) { map.setView([p.coords.latitude, p.coords.longitude], 13); } },
        function () { if (status) { status.textContent = status.getAttribute('data-failed') || ''; } },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  var box = document.getElementById('portal-map');
  if (!box || !window.L) { return; }
  map = window.L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  fetch(box.getAttribute('data-geojson'), { headers: { Accept: 'application/geo+json' } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = window.L.geoJSON(data, {
        style: { color: '#1f5fa8', weight: 1, fillColor: '#dbe7f5', fillOpacity: 0.5 },
        onEachFeature: function (feature, shape) {
          shape.on('click', function (e) { place(e.latlng.lat, e.latlng.lng, feature.properties.name); });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      // Each outline names its township (for assistive tools and tests).
      layer.eachLayer(function (shape) {
        var path = shape.getElement && shape.getElement();
        if (path) { path.setAttribute('data-code', shape.feature.properties.code); path.setAttribute('aria-label', shape.feature.properties.name); }
      });
      box.setAttribute('data-ready', 'true');
    });
})();
