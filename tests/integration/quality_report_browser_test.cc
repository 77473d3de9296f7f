// The evidence report's HTML page in a real browser (Debian's chromium, headless): it loads with
// no console error and no script (there is none to run), the DOM has a heading per clause of
// clause 8 and the charts' SVG bars, an enterprise's markup stayed text, and the page is drawn as
// a 1280x2400 screenshot (PNG). Skipped, saying so, where chromium is not installed; CI installs
// it (.ci/run). With PARKLINE_REPORT_ARTIFACTS set the page and screenshot are kept there. And
// no two texts of a chart overlap as chromium draws them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "quality/report_html.h"
#include "tests/integration/quality_report_fixture.h"
#include "tests/support/report_charts.h"

namespace parkline::quality {
namespace {

std::string Chromium() {
  const char* env = std::getenv("PARKLINE_CHROMIUM");
  for (std::string path : {env ? std::string(env) : "", std::string("/usr/bin/chromium"),
                           std::string("/usr/bin/chromium-browser")}) {
    if (!path.empty() && std::ifstream(path).good()) return path;
  }
  return "";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs chromium headless on `page` with `args`; its stdout and stderr land in the two files.
int RunChromium(const std::string& chromium, const std::string& dir, const std::string& args,
                const std::string& page, const std::string& out, const std::string& err) {
  // A profile of its own, so that a test never shares or leaves state with another run.
  std::string command = absl::StrCat(
      "timeout 120 '", chromium, "' --headless --no-sandbox --disable-gpu --no-first-run ",
      "--disable-extensions --user-data-dir='", dir, "/profile' --enable-logging=stderr --v=0 ",
      args, " 'file://", page, "' >'", out, "' 2>'", err, "'");
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The console's messages as chromium logs them ("CONSOLE" lines, uncaught errors).
std::string ConsoleErrors(const std::string& log) {
  std::string out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (absl::StrContains(line, "CONSOLE") || absl::StrContains(line, "Uncaught") ||
        absl::StrContains(line, "Refused to")) {
      absl::StrAppend(&out, line, "\n");
    }
  }
  return out;
}

class QualityReportBrowserTest : public ReportFixture {
 protected:
  void SetUp() override {
    chromium_ = Chromium();
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium is not installed here (apt-get install chromium; CI installs it)";
    }
    ReportFixture::SetUp();
  }

  std::string chromium_;
};

TEST_P(QualityReportBrowserTest, ThePageLoadsCleanWithEveryClauseAndChartAndDrawsAScreenshot) {
  const std::string& chromium = chromium_;
  auto out = SeededReport();
  ASSERT_TRUE(out.ok()) << out.status();

  testing::TempDir tmp;
  const char* keep = std::getenv("PARKLINE_REPORT_ARTIFACTS");
  std::string dir = keep && *keep ? keep : tmp.path();
  std::string page = dir + "/report-" + GetParam() + ".html";
  std::ofstream(page) << out->html();

  std::string dom_out = tmp.path() + "/dom.html", dom_err = tmp.path() + "/dom.log";
  ASSERT_EQ(RunChromium(chromium, tmp.path(), "--dump-dom", page, dom_out, dom_err), 0)
      << ReadAll(dom_err);
  std::string dom = ReadAll(dom_out);
  EXPECT_EQ(ConsoleErrors(ReadAll(dom_err)), "");
  for (const auto& c : out->report().clauses()) {
    EXPECT_TRUE(absl::StrContains(dom, absl::StrCat("<h3>", c.clause(), " "))) << c.clause();
  }
  EXPECT_TRUE(absl::StrContains(dom, "8.3 服务质量管理"));
  // Six charts, each with its bars (five from the statistics, one of the actions).
  size_t svgs = 0, bars = 0;
  for (size_t at = dom.find("<svg"); at != std::string::npos; at = dom.find("<svg", at + 1)) ++svgs;
  for (size_t at = dom.find("<rect class=\"bar\""); at != std::string::npos;
       at = dom.find("<rect class=\"bar\"", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(svgs, 6u);
  EXPECT_GE(bars, 5u * 11u);
  // The markup an enterprise wrote is text in the DOM: no element, no script ran.
  EXPECT_FALSE(absl::StrContains(dom, "<b id=\"injected\""));
  EXPECT_FALSE(absl::StrContains(dom, "<script"));
  EXPECT_TRUE(absl::StrContains(dom, "&lt;b id=\"injected\"&gt;Chen&lt;/b&gt;"));
  EXPECT_TRUE(absl::StrContains(dom, "<title>Evaluation 2026 &lt;b id=\"injected\"&gt;"))
      << "the title was not changed by the injected script";

  std::string png = dir + "/report-" + GetParam() + ".png";
  std::string shot_out = tmp.path() + "/shot.out", shot_err = tmp.path() + "/shot.log";
  ASSERT_EQ(RunChromium(
                chromium, tmp.path(),
                absl::StrCat("--hide-scrollbars --window-size=1280,2400 --screenshot='", png, "'"),
                page, shot_out, shot_err),
            0)
      << ReadAll(shot_err);
  EXPECT_EQ(ConsoleErrors(ReadAll(shot_err)), "");
  std::string image = ReadAll(png);
  ASSERT_GT(image.size(), 24u) << "no screenshot written";
  EXPECT_EQ(image.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(image[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(image[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(image[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(image[at + 3]));
  };
  EXPECT_EQ(be32(16), 1280u);  // IHDR width
  EXPECT_EQ(be32(20), 2400u);  // IHDR height
  EXPECT_GT(image.size(), 50000u) << "a blank page compresses to far less";
}

// How `html` is drawn: a copy with a script added (the page has none of its own), which chromium
// runs before it dumps the DOM, says how many texts the charts have and which two share a pixel:
// "N texts; none meet" when none do.
std::string MeasureChartTexts(const std::string& chromium, std::string html) {
  const std::string measure = R"js(<script>
const met = [];
let texts = 0;
for (const svg of document.querySelectorAll('svg')) {
  const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]);
  texts += boxes.length;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i], [b, q] = boxes[j];
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom)
        met.push(a + ' meets ' + b);
    }
}
const pre = document.createElement('pre');
pre.id = 'measured';
pre.textContent = texts + ' texts; ' + (met.length ? met.join(', ') : 'none meet');
document.body.appendChild(pre);
</script>)js";
  size_t end = html.rfind("</body>");
  if (end == std::string::npos) return "no </body> in the page";
  html.insert(end, measure);
  testing::TempDir tmp;
  std::string page = tmp.path() + "/measure.html";
  std::ofstream(page) << html;
  std::string out = tmp.path() + "/dom.html", err = tmp.path() + "/dom.log";
  if (RunChromium(chromium, tmp.path(), "--dump-dom", page, out, err) != 0) {
    return "chromium failed: " + ReadAll(err);
  }
  if (std::string errors = ConsoleErrors(ReadAll(err)); !errors.empty()) return errors;
  std::string dom = ReadAll(out);
  const std::string tag = "<pre id=\"measured\">";
  size_t at = dom.find(tag);
  if (at == std::string::npos) return "the measuring script did not run";
  at += tag.size();
  return dom.substr(at, dom.find("</pre>", at) - at);
}

// Measured where it is drawn: no two texts of a chart (bucket labels, years, the axis' figures)
// overlap, in the seeded report and in charts of the lengths a period can have.
TEST_P(QualityReportBrowserTest, NoTwoTextsOfAChartOverlapAsDrawn) {
  const std::string& chromium = chromium_;
  auto out = SeededReport();
  ASSERT_TRUE(out.ok()) << out.status();
  std::string seeded = MeasureChartTexts(chromium, out->html());
  EXPECT_TRUE(absl::EndsWith(seeded, " texts; none meet")) << seeded;
  EXPECT_GE(std::atoi(seeded.c_str()), 6 * 8) << seeded;

  // 1, 2, 12 and 24 months; 2, 31 and 62 days, two of them across a new year.
  v1::EvaluationReport shapes;
  auto chart = [&](int n, bool days, absl::CivilDay first) {
    testing::AddDatedChart(shapes, n, days, first, "CNY", 1000000, 37, ".12345");
  };
  for (int months : {1, 2, 12, 24}) chart(months, false, absl::CivilDay(2025, 1, 1));
  chart(2, true, absl::CivilDay(2025, 12, 31));
  chart(31, true, absl::CivilDay(2025, 12, 20));
  chart(62, true, absl::CivilDay(2026, 3, 1));
  std::string drawn = MeasureChartTexts(chromium, RenderReportHtml(shapes));
  EXPECT_TRUE(absl::EndsWith(drawn, " texts; none meet")) << drawn;
  EXPECT_GE(std::atoi(drawn.c_str()), 7 * 3) << drawn;
}

PARKLINE_BACKEND_TESTS(QualityReportBrowserTest);

}  // namespace
}  // namespace parkline::quality
