// The grid map (网格地图): draws a territory's children from the page's GeoJSON address with Leaflet
// (no tile layer: the deployments are offline, the polygons are the base layer), coloured by the
// measure the page names; a click opens the area's figures with links to its matters and one level
// down. Text goes in as text (never HTML), so area names cannot inject markup. Served from 'self';
// the page carries no inline script (CSP script-src 'self').
(function () {
  'use strict';

  var element = document.getElementById('grid-map');
  if (!element || !window.L) {
    return;
  }

  var data = element.dataset;
  var measure = data.measure === 'overdue' ? 'overdue' : 'open';
  // Six steps from pale to the center's red; step 0 is "none".
  var palette = ['#eef2f7', '#fde4cf', '#f9c49a', '#f29b67', '#e0603c', '#b3261e'];

  function colour(value, max) {
    if (!value || !max) {
      return palette[0];
    }
    return palette[Math.min(palette.length - 1, 1 + Math.floor((value / max) * (palette.length - 2) + 0.0001))];
  }

  function add(parent, tag, text, className) {
    var child = document.createElement(tag);
    if (text !== undefined) {
      child.textContent = text;
    }
    if (className) {
      child.className = className;
    }
    parent.appendChild(child);
    return child;
  }

  function link(parent, href, text, testId) {
    var a = add(parent, 'a', text);
    a.href = href;
    a.setAttribute('data-testid', testId);
    return a;
  }

  function popup(properties) {
    var box = document.createElement('div');
    box.className = 'map-popup';
    box.setAttribute('data-testid', 'map-popup');
    add(box, 'strong', properties.name);
    var list = add(box, 'dl');
    [['volume', data.labelVolume], ['open', data.labelOpen], ['overdue', data.labelOverdue]].forEach(function (pair) {
      var row = add(list, 'div');
      add(row, 'dt', pair[1]);
      add(row, 'dd', String(properties[pair[0]] || 0));
    });
    var links = add(box, 'p', undefined, 'map-popup-links');
    link(links, data.matters + encodeURIComponent(properties.code), data.labelMatters, 'map-matters');
    if (properties.children > 0) {
      link(links, data.drill + encodeURIComponent(properties.code), data.labelDrill, 'map-drill');
    }
    return box;
  }

  var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix('Leaflet');

  fetch(data.geojson, { credentials: 'same-origin', headers: { Accept: 'application/geo+json' } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(function (collection) {
      var max = collection.features.reduce(function (m, f) { return Math.max(m, f.properties[measure] || 0); }, 0);
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          return { color: '#123a6b', weight: 1, opacity: 0.9, fillColor: colour(feature.properties[measure], max), fillOpacity: 0.8 };
        },
        onEachFeature: function (feature, shape) {
          var label = document.createElement('span');
          label.textContent = feature.properties.name + ' · ' + (feature.properties[measure] || 0);
          shape.bindTooltip(label, { sticky: true });
          shape.bindPopup(function () { return popup(feature.properties); });
          shape.on('add', function () {
            var path = shape.getElement && shape.getElement();
            if (path) {
              path.setAttribute('data-code', feature.properties.code);
            }
          });
        }
      }).addTo(map);
      if (collection.features.length > 0) {
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      }
      element.setAttribute('data-state', 'ready');
    })
    .catch(function () {
      element.setAttribute('data-state', 'failed');
      add(element, 'p', data.labelFailed, 'map-failed');
    });
}());
