/* The statistics dashboard (templates/statistics/dashboard.html): draws the charts from the figures the page
   carries as JSON (no inline script: the Content-Security-Policy allows none); clicking a bar or a point opens the
   list behind that figure. The tables under each chart hold the same figures and links, for keyboards and for
   browsers without script. */
(function () {
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var en = data.english;
  var name = function (code) { return (en ? data.names_en : data.names)[code]; };
  var num = function (v) { return v === null || v === undefined ? null : Number(v); };
  var listUrl = function (code, month, area, ytd) {
    return "/statistics/" + code + "/?month=" + month + (ytd ? "&ytd=1" : "") + (area ? "&area=" + area : "");
  };
  var draw = function (key, option, onClick) {
    option.animation = false;  // drawn at once: what a screenshot or a screen reader meets is the whole chart
    var el = document.querySelector('[data-chart="' + key + '"]');
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
    window.addEventListener("resize", function () { chart.resize(); });
  };
  var months = data.months;
  // Legends go under the charts: above them a legend of long names wraps onto the axis names (元/人·月) and the
  // two overlapped (seen in English especially); under the x axis they have the width to themselves.
  var legend = { bottom: 0, type: "scroll" };

  var trendCodes = ["DB0102000000", "TK0102000000", "DB0301000000", "TK0301000000"];
  draw("trend", {
    tooltip: { trigger: "axis" },
    legend: legend,
    grid: { left: 70, right: 80, top: 40, bottom: 70 },
    xAxis: { type: "category", data: months },
    yAxis: [{ type: "value", name: en ? "people" : "人" }, { type: "value", name: en ? "yuan" : "元" }],
    series: trendCodes.map(function (code, i) {
      return {
        name: name(code), code: code, type: i < 2 ? "bar" : "line", yAxisIndex: i < 2 ? 0 : 1,
        data: data.trend.map(function (r) { return num(r[code]); })
      };
    })
  }, function (p) { window.location.href = listUrl(trendCodes[p.seriesIndex], months[p.dataIndex], data.area); });

  // every programme's money paid, stacked month by month; a bar opens that programme's list of the month
  var spendCodes = data.spending_codes;
  draw("spending", {
    tooltip: { trigger: "axis" },
    legend: legend,
    grid: { left: 80, right: 30, top: 40, bottom: 70 },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", name: en ? "yuan" : "元" },
    series: spendCodes.map(function (code, i) {
      return {
        name: (en ? data.spending_names_en : data.spending_names)[i], type: "bar", stack: "money",
        data: data.spending.map(function (r) { return num(r.values[i]); })
      };
    })
  }, function (p) { window.location.href = listUrl(spendCodes[p.seriesIndex], months[p.dataIndex], data.area); });

  var pcCodes = ["DB0302100000", "DB0302200000"];
  // the chart's title names the figure: its legend says only urban or rural, and which line is the target
  var pcNames = { DB0302100000: en ? "Urban" : "城市", DB0302200000: en ? "Rural" : "农村" };
  var pcSeries = pcCodes.map(function (code) {
    return { name: pcNames[code], type: "line", data: data.per_capita.map(function (r) { return num(r[code]); }) };
  });
  pcCodes.forEach(function (code) {
    if (data.targets[code]) {
      pcSeries.push({
        name: pcNames[code] + (en ? " target" : "目标"), type: "line", symbol: "none", lineStyle: { type: "dashed" },
        data: months.map(function () { return num(data.targets[code]); })
      });
    }
  });
  draw("per_capita", {
    tooltip: { trigger: "axis" },
    legend: legend,
    grid: { left: 70, right: 30, top: 40, bottom: 70 },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value", name: en ? "yuan per person-month" : "元/人·月", nameTextStyle: { align: "left" } },
    series: pcSeries
  }, function (p) {
    if (p.seriesIndex < 2) window.location.href = listUrl(pcCodes[p.seriesIndex], months[p.dataIndex], data.area, true);
  });

  if (data.townships.length) {
    var cmpCodes = ["DB0102000000", "TK0102000000"];
    draw("townships", {
      tooltip: { trigger: "axis" },
      legend: legend,
      grid: { left: 70, right: 30, top: 40, bottom: 100 },
      xAxis: { type: "category", data: data.townships.map(function (t) { return t.name; }), axisLabel: { rotate: 30 } },
      yAxis: { type: "value", name: en ? "people" : "人" },
      series: cmpCodes.map(function (code) {
        return { name: name(code), type: "bar", data: data.townships.map(function (t) { return num(t[code]); }) };
      })
    }, function (p) {
      window.location.href = listUrl(cmpCodes[p.seriesIndex], data.compare_month, data.townships[p.dataIndex].code);
    });
  }

  // The map of townships (those with a boundary, areas/shapes.py), each coloured by the indicator chosen above it;
  // clicking a township opens its own dashboard. Features are named by area code, shown by their names.
  if (data.map) {
    var mapEl = document.querySelector('[data-chart="map"]');
    var select = document.getElementById("map-indicator");
    if (mapEl) {
      echarts.registerMap("townships", data.map);
      var labels = {};
      data.map.features.forEach(function (f) { labels[f.properties.name] = f.properties.label; });
      var enc = echarts.format.encodeHTML;
      var mapChart = echarts.init(mapEl, null, { renderer: "svg" });
      var paint = function () {
        var code = select ? select.value : data.map_codes[0];
        var values = data.townships.map(function (t) { return { name: t.code, value: num(t[code]) }; });
        var known = values.map(function (v) { return v.value; }).filter(function (v) { return v !== null; });
        var low = known.length ? Math.min.apply(null, known) : 0;
        var high = known.length ? Math.max.apply(null, known) : 1;
        mapChart.setOption({
          animation: false,
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              var v = p.value === undefined || p.value === null || isNaN(p.value) ? "—" : p.value;
              return enc(labels[p.name] || p.name) + "<br>" + enc(name(code)) + (en ? ": " : "：") + enc(String(v));
            }
          },
          visualMap: {
            min: low, max: high === low ? low + 1 : high, left: 10, bottom: 10, calculable: true,
            inRange: { color: ["#e0ecf8", "#1f5fa8"] }, text: [en ? "high" : "高", en ? "low" : "低"]
          },
          series: [{
            type: "map", map: "townships", roam: false, selectedMode: false, top: 20, bottom: 20,
            label: {
              show: true, fontSize: 12, color: "#1b2733", textBorderColor: "#ffffff", textBorderWidth: 3,
              formatter: function (p) { return labels[p.name] || p.name; }
            },
            itemStyle: { borderColor: "#ffffff", borderWidth: 1, areaColor: "#eeeeee" },
            emphasis: { label: { show: true }, itemStyle: { areaColor: "#f2b134" } },
            data: values
          }]
        }, true);
      };
      paint();
      if (select) select.addEventListener("change", paint);
      mapChart.on("click", function (p) {
        window.location.href = "?area=" + encodeURIComponent(p.name) + "&year=" + data.year;
      });
      window.addEventListener("resize", function () { mapChart.resize(); });
    }
  }
})();
