// The dashboard's charts (态势): each [data-chart] is drawn with Apache ECharts from the table the page
// renders beside it (data-table), so the chart shows exactly the accessible figures. Served from 'self'
// with no inline script or eval (CSP); tooltips render as rich text in the canvas, not as HTML with
// inline styles, which the CSP would refuse.
(function () {
  'use strict';

  // The big screen reloads its figures itself (the page says how often, in seconds).
  var refresh = document.querySelector('[data-refresh]');
  if (refresh) {
    var seconds = Number(refresh.getAttribute('data-refresh'));
    if (seconds > 0) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  }

  if (!window.echarts) {
    return;
  }

  function cellValue(cell) {
    if (!cell) {
      return 0;
    }
    var raw = cell.getAttribute('data-value');
    var value = Number(raw !== null ? raw : cell.textContent.replace('%', '').trim());
    return isFinite(value) ? value : 0;
  }

  function rows(table) {
    return Array.prototype.slice.call(table.tBodies[0].rows).map(function (row) {
      return Array.prototype.slice.call(row.cells);
    });
  }

  function option(kind, table, column, dark) {
    var data = rows(table);
    var labels = data.map(function (cells) { return cells[0].textContent.trim(); });
    var values = data.map(function (cells) { return cellValue(cells[column]); });
    var ink = dark ? '#dbe4f0' : '#1c2430';
    var base = {
      backgroundColor: 'transparent',
      textStyle: { color: ink },
      tooltip: { trigger: kind === 'heat' ? 'item' : 'axis', renderMode: 'richText' },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      animation: false
    };
    if (kind === 'line') {
      base.xAxis = { type: 'category', data: labels, boundaryGap: false };
      base.yAxis = { type: 'value', minInterval: 1 };
      base.series = [{ type: 'line', data: values, smooth: true, areaStyle: { opacity: 0.15 }, color: '#c8161d' }];
    } else if (kind === 'hbar') {
      base.xAxis = { type: 'value', minInterval: column === 1 ? 0 : 1 };
      base.yAxis = { type: 'category', data: labels.slice().reverse(), axisLabel: { width: 160, overflow: 'truncate' } };
      base.series = [{ type: 'bar', data: values.slice().reverse(), color: dark ? '#5b8ff9' : '#123a6b', barMaxWidth: 28, label: { show: true, position: 'right' } }];
    } else if (kind === 'heat') {
      // A point per grid-sized cell: longitude, latitude, volume; colour and size by volume.
      var points = data.map(function (cells) { return [cellValue(cells[1]), cellValue(cells[0]), cellValue(cells[2])]; });
      var max = points.reduce(function (m, p) { return Math.max(m, p[2]); }, 1);
      base.xAxis = { type: 'value', scale: true, name: 'lon' };
      base.yAxis = { type: 'value', scale: true, name: 'lat' };
      base.visualMap = { min: 0, max: max, dimension: 2, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
        inRange: { color: ['#fde4cf', '#f29b67', '#c8161d'] }, textStyle: { color: ink } };
      base.grid.bottom = 40;
      base.series = [{ type: 'scatter', data: points, symbolSize: function (p) { return 6 + 18 * Math.sqrt(p[2] / max); } }];
    }
    return base;
  }

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll('[data-chart]'), function (element) {
    var table = document.getElementById(element.getAttribute('data-table'));
    if (!table || !table.tBodies.length) {
      return;
    }
    var dark = element.getAttribute('data-theme') === 'dark';
    var chart = window.echarts.init(element, dark ? 'dark' : null, { renderer: 'canvas' });
    chart.setOption(option(element.getAttribute('data-chart'), table, Number(element.getAttribute('data-column')) || 1, dark));
    element.setAttribute('data-state', 'ready');
    charts.push(chart);
  });

  window.addEventListener('resize', function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
}());
