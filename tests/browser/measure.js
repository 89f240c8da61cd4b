// measure.js — injected by test_report.sh into a COPY of an HTML report
// (the report itself has no script).  It measures what the browser laid
// out and writes the result into document.title, which the test reads
// back with `chromium --dump-dom`:
//   svgs     <svg> elements on the page
//   zero     of them rendered with no width or height
//   texts    text elements of the charts with some width
//   outside  texts that stick out of their chart (cut off on screen)
//   overflow page width beyond the window (> 0: a horizontal scroll bar)
(function () {
  var svgs = document.querySelectorAll('svg'), zero = 0, texts = 0, outside = [];
  for (var i = 0; i < svgs.length; i++) {
    var r = svgs[i].getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) zero++;
    var ts = svgs[i].querySelectorAll('text');
    for (var j = 0; j < ts.length; j++) {
      var b = ts[j].getBoundingClientRect();
      if (!(b.width > 0)) continue;
      texts++;
      if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1)
        outside.push(i + ':' + ts[j].textContent.slice(0, 30));
    }
  }
  var overflow = document.documentElement.scrollWidth - window.innerWidth;
  document.title = 'SVGCHECK svgs=' + svgs.length + ' zero=' + zero + ' texts=' + texts +
    ' outside=' + outside.length + ' overflow=' + overflow +
    ' first=[' + outside.slice(0, 5).join('|').replace(/[<>&]/g, '?') + ']';
})();
