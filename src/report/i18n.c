/* i18n.c — the report's text in Vietnamese and English (see i18n.h).
** Keys are sorted so a binary search finds them; a test checks the order
** and that every key has both languages. */
#include "report/i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct entry {
  const char *key, *vi, *en;
} entry;

static const entry table[] = {
    {"aggregation", "tổng hợp", "aggregation"},
    {"attribution_boundaries", "Ranh giới hành chính: geoBoundaries", "Administrative boundaries: geoBoundaries"},
    {"attribution_licence", "(CC BY 4.0; bản đồ 2008, đã đơn giản hóa).", "(CC BY 4.0; 2008 boundaries, simplified)."},
    {"back_to_report", "← Về báo cáo chung", "← Back to the report"},
    {"chart_equality", "đường bình đẳng", "line of equality"},
    {"chart_line_whisker", "Vạch dọc: khoảng bootstrap", "Whiskers: bootstrap interval"},
    {"chart_line_whisker_level", "Vạch dọc: khoảng bootstrap {level}%", "Whiskers: {level}% bootstrap interval"},
    {"chart_lorenz_x", "% tỉnh/thành tích lũy (doanh số từ thấp đến cao)", "cumulative % of provinces (lowest sales first)"},
    {"chart_lorenz_y", "% doanh số trực tuyến tích lũy", "cumulative % of online sales"},
    {"chart_national_mean", "Trung bình cả nước", "National mean"},
    {"chart_rank_interval", "khoảng hạng", "rank interval"},
    {"chart_rank_interval_level", "khoảng hạng ({level}%)", "rank interval ({level}%)"},
    {"chart_region_mean", "Trung bình vùng", "Regional mean"},
    {"chart_score_axis", "Điểm (0–100); vạch: khoảng bất định", "Score (0–100); whisker: uncertainty interval"},
    {"chart_score_axis_level", "Điểm (0–100); vạch: khoảng tin cậy {level}%", "Score (0–100); whisker: {level}% confidence interval"},
    {"chart_score_axis_plain", "Điểm (0–100)", "Score (0–100)"},
    {"chart_score_plain", "Điểm (0–100)", "Score (0–100)"},
    {"chart_share_axis", "% doanh số TMĐT của Hà Nội + TP.HCM", "% of e-commerce sales in Hà Nội + HCMC"},
    {"chart_shift_max", "dịch chuyển lớn nhất", "largest shift"},
    {"chart_shift_mean", "dịch chuyển hạng trung bình (|Δ hạng|)", "mean rank shift (|Δ rank|)"},
    {"chart_sobol_first", "chỉ số bậc nhất S_i", "first-order index S_i"},
    {"chart_sobol_total", "chỉ số toàn phần S_Ti", "total-effect index S_Ti"},
    {"chart_target_line", "mục tiêu 50%", "50% target"},
    {"chart_year", "Năm", "Year"},
    {"chiso_version", "Phiên bản chiso", "chiso version"},
    {"col_actual", "Thực tế", "Actual"},
    {"col_code", "Mã", "Code"},
    {"col_file", "Tệp", "File"},
    {"col_indicator", "Chỉ tiêu", "Indicator"},
    {"col_interval", "Khoảng tin cậy", "Interval"},
    {"col_interval_level", "Khoảng tin cậy {level}%", "{level}% interval"},
    {"col_key", "Mục", "Item"},
    {"col_kind", "Loại", "Kind"},
    {"col_lorenz_x", "Tỷ lệ tỉnh/thành tích lũy", "Cumulative share of provinces"},
    {"col_lorenz_y", "Tỷ lệ doanh số tích lũy", "Cumulative share of sales"},
    {"col_measure", "Thước đo", "Measure"},
    {"col_name", "Tỉnh/thành phố", "Province"},
    {"col_plan", "Kế hoạch", "Plan"},
    {"col_progress", "Tiến độ", "Progress"},
    {"col_rank", "Hạng", "Rank"},
    {"col_rank_hi", "Hạng (cận dưới)", "Rank (worst)"},
    {"col_rank_interval", "Khoảng hạng", "Rank interval"},
    {"col_rank_interval_level", "Khoảng hạng ({level}%)", "Rank interval ({level}%)"},
    {"col_rank_lo", "Hạng (cận trên)", "Rank (best)"},
    {"col_region", "Vùng", "Region"},
    {"col_respondents", "Số DN trả lời", "Respondents"},
    {"col_rows", "Số dòng", "Rows"},
    {"col_scope", "Phạm vi", "Scope"},
    {"col_score", "Điểm", "Score"},
    {"col_score_hi", "Điểm (cận trên)", "Score (upper)"},
    {"col_score_lo", "Điểm (cận dưới)", "Score (lower)"},
    {"col_sha256", "SHA-256", "SHA-256"},
    {"col_status", "Tình trạng", "Status"},
    {"col_target", "Mục tiêu", "Target"},
    {"col_target_value", "Giá trị mục tiêu", "Target value"},
    {"col_target_year", "Năm mục tiêu", "Target year"},
    {"col_unit", "Đơn vị", "Unit"},
    {"col_value", "Giá trị", "Value"},
    {"col_year", "Năm", "Year"},
    {"col_z", "Điểm z", "z-score"},
    {"contents", "Mục lục", "Contents"},
    {"direction", "chiều", "direction"},
    {"divide_note", "Hệ số Gini và đường Lorenz tính trên doanh số trực tuyến ước lượng của doanh nghiệp; mục tiêu của Quyết định 645/QĐ-TTg: các địa phương ngoài Hà Nội và TP.HCM chiếm 50% doanh số TMĐT B2C vào năm 2025.",
     "The Gini coefficient and the Lorenz curve use the estimated online sales of firms; Decision 645/QĐ-TTg targets 50% of B2C e-commerce sales from outside Hà Nội and HCMC by 2025."},
    {"factor_aggregation", "Phương pháp tổng hợp", "Aggregation method"},
    {"factor_exclusion", "Bỏ bớt một chỉ tiêu", "One indicator left out"},
    {"factor_imputation", "Phương pháp bù giá trị thiếu", "Imputation method"},
    {"factor_normalisation", "Phương pháp chuẩn hóa", "Normalisation method"},
    {"factor_sampling", "Sai số chọn mẫu", "Sampling error"},
    {"factor_weights_L1", "Trọng số các chỉ tiêu", "Indicator weights"},
    {"factor_weights_L2", "Trọng số các trụ cột", "Pillar weights"},
    {"factor_winmax", "Giới hạn winsorise", "Winsorisation limit"},
    {"factor_winsorisation", "Xử lý giá trị ngoại lai (winsorise)", "Outlier treatment (winsorisation)"},
    {"footer_generated", "Báo cáo tạo bởi", "Report generated by"},
    {"hnhcm_share", "Tỷ trọng Hà Nội + TP.HCM", "Share of Hà Nội + HCMC"},
    {"hnhcm_share_note", "trong doanh số TMĐT (mục tiêu: dưới 50%)", "of e-commerce sales (target: below 50%)"},
    {"inset_note", "Các đảo ngoài khơi được phóng to ×4 (sơ đồ)", "Offshore islands enlarged ×4 (schematic)"},
    {"legend_rule_1", "Ngũ phân vị: mỗi lớp gồm khoảng 1/5", "Quintiles: each class holds about 1/5"},
    {"legend_rule_2", "số đơn vị; điểm chỉ số thang 0–100", "of the units; index score on 0–100"},
    {"legend_title", "Điểm chỉ số", "Index score"},
    {"lorenz_title", "Đường cong Lorenz", "Lorenz curve"},
    {"map_note", "Nhấn vào một tỉnh để xem hồ sơ. Màu xám: chưa tính.", "Click a province to open its profile. Grey: not computed."},
    {"measure_gini", "Hệ số Gini của doanh số trực tuyến theo tỉnh/thành", "Gini coefficient of online sales across provinces"},
    {"measure_hhi", "Chỉ số Herfindahl–Hirschman (doanh số trực tuyến)", "Herfindahl–Hirschman index (online sales)"},
    {"measure_hnhcm_share", "Tỷ trọng Hà Nội + TP.HCM (%)", "Share of Hà Nội + HCMC (%)"},
    {"measure_palma", "Tỷ số Palma", "Palma ratio"},
    {"measure_score_cv", "Hệ số biến thiên của điểm chỉ số", "Coefficient of variation of the index scores"},
    {"measure_score_gini", "Hệ số Gini của điểm chỉ số", "Gini coefficient of the index scores"},
    {"measure_theil", "Chỉ số Theil (điểm chỉ số)", "Theil index (index scores)"},
    {"measure_top10_share", "Tỷ trọng 10% doanh nghiệp lớn nhất (%)", "Share of the top 10% of firms (%)"},
    {"measure_top5_share", "Tỷ trọng doanh số của 5 tỉnh/thành dẫn đầu (%)", "Share of online sales of the top 5 provinces (%)"},
    {"method_hash", "Mã băm phương pháp (SHA-256)", "Methodology hash (SHA-256)"},
    {"method_note", "Cây chỉ số sinh tự động từ tệp phương pháp; trọng số là trọng số trong nút cha.", "The tree is generated from the methodology file; weights are within the parent node."},
    {"methodology", "Phương pháp", "Methodology"},
    {"national", "Cả nước", "National"},
    {"national_mean", "Trung bình cả nước", "National mean"},
    {"normalisation", "chuẩn hóa", "normalisation"},
    {"not_computed", "Chưa tính (không có dữ liệu cho phần này).", "Not computed (no data for this section)."},
    {"not_computed_short", "chưa tính", "not computed"},
    {"page_word", "Trang", "Page"},
    {"paracel_1", "Quần đảo Hoàng Sa", "Hoang Sa (Paracel) Islands"},
    {"paracel_2", "(Đà Nẵng)", "(Da Nang)"},
    {"pillars_note", "Mỗi chấm là điểm một trụ cột (0–100) của tỉnh; các hàng xếp theo hạng chung.", "Each dot is a pillar score (0–100); rows follow the overall rank."},
    {"ranking_note", "Thanh: điểm chỉ số. Vạch: khoảng tin cậy của điểm. Bên phải: khoảng hạng. Nhấn tên tỉnh để xem hồ sơ.",
     "Bar: index score. Whisker: interval of the score. Right: rank interval. Click a name to open the profile."},
    {"rankshift_note", "Mức thay đổi hạng khi thay đổi các giả định (chuẩn hóa, trọng số, tổng hợp, dữ liệu thiếu).", "How far ranks move when the assumptions change (normalisation, weights, aggregation, missing data)."},
    {"rankshift_note_crossed", "Mức thay đổi hạng qua các lần chạy kết hợp mẫu bootstrap của dữ liệu khảo sát với các giả định (chuẩn hóa, trọng số, tổng hợp, dữ liệu thiếu).", "How far ranks move over runs that cross bootstrap replicates of the survey microdata with the assumptions (normalisation, weights, aggregation, missing data)."},
    {"rankshift_title", "Dịch chuyển hạng", "Rank shifts"},
    {"report_subtitle", "Chỉ số thương mại điện tử cấp tỉnh", "Provincial e-business index"},
    {"report_title", "Chỉ số TMĐT Việt Nam", "Vietnam E-Business Index"},
    {"score_scale", "điểm trung bình, thang 0–100", "mean score, 0–100 scale"},
    {"sec_divide", "Khoảng cách số", "The divide"},
    {"sec_headline", "Số liệu chính", "Headline figures"},
    {"sec_map", "Bản đồ", "Map"},
    {"sec_method", "Phụ lục phương pháp", "Methodology appendix"},
    {"sec_pillars", "Các trụ cột", "Pillar breakdown"},
    {"sec_profile_pillars", "Trụ cột so với vùng và cả nước", "Pillars against the region and the nation"},
    {"sec_profiles", "Hồ sơ các tỉnh, thành phố", "Province profiles"},
    {"sec_provenance", "Nguồn gốc dữ liệu", "Data provenance"},
    {"sec_ranking", "Xếp hạng", "Ranking"},
    {"sec_sensitivity", "Độ nhạy", "Sensitivity"},
    {"sec_strengths", "Điểm mạnh và điểm yếu", "Strengths and weaknesses"},
    {"sec_targets", "Mục tiêu", "Targets"},
    {"sec_trend", "Xu hướng qua các năm", "Trend over the years"},
    {"seed", "Hạt giống ngẫu nhiên", "Random seed"},
    {"share_title", "Tỷ trọng Hà Nội + TP.HCM so với mục tiêu 50%", "Hà Nội + HCMC share against the 50% target"},
    {"sheet_divide", "Khoảng cách số", "Divide"},
    {"sheet_index", "Chỉ số", "Index"},
    {"sheet_indicators", "Chỉ tiêu", "Indicators"},
    {"sheet_metadata", "Siêu dữ liệu", "Metadata"},
    {"sheet_pillars", "Trụ cột", "Pillars"},
    {"sheet_targets", "Mục tiêu", "Targets"},
    {"sheet_uncertainty", "Độ bất định", "Uncertainty"},
    {"small_sample", "Cảnh báo: mẫu nhỏ, kết quả kém tin cậy.", "Warning: small sample, the result is less reliable."},
    {"sobol_note", "Phần phương sai của điểm do từng giả định gây ra (Saltelli và cộng sự 2010).", "Share of the score variance due to each assumption (Saltelli et al. 2010)."},
    {"sobol_title", "Chỉ số Sobol", "Sobol indices"},
    {"spratly_1", "Quần đảo Trường Sa", "Truong Sa (Spratly) Islands"},
    {"spratly_2", "(Khánh Hòa)", "(Khanh Hoa)"},
    {"status_achieved", "Đã đạt", "Achieved"},
    {"status_no_data", "Chưa có số liệu", "No data"},
    {"status_off_track", "Chưa đạt", "Off track"},
    {"status_on_track", "Đúng tiến độ", "On track"},
    {"strengths", "Điểm mạnh", "Strengths"},
    {"strengths_note", "Chỉ tiêu lệch nhiều nhất so với các tỉnh khác: điểm z = (giá trị − trung bình cả nước) / độ lệch chuẩn, đổi dấu với chỉ tiêu nghịch.",
     "Indicators furthest from the other provinces: z = (value − national mean) / standard deviation, sign reversed for negative indicators."},
    {"synthetic_banner", "DỮ LIỆU MÔ PHỎNG — không phải số liệu khảo sát thật; chỉ dùng để minh họa.", "SYNTHETIC DATA — not real survey results; for demonstration only."},
    {"targets_note", "Tiến độ = (thực tế − cơ sở) / (mục tiêu − cơ sở), hoặc thực tế / mục tiêu khi không có cơ sở. Mục tiêu chưa có số liệu được ghi là \"Chưa có số liệu\", không phải 0.",
     "Progress = (actual − baseline) / (target − baseline), or actual / target without a baseline. A target without data shows \"No data\", not zero."},
    {"top_provinces", "Dẫn đầu", "Top provinces"},
    {"units_word", "đơn vị", "units"},
    {"weaknesses", "Điểm yếu", "Weaknesses"},
    {"weight", "trọng số", "weight"},
};

#define N_ENTRIES (sizeof table / sizeof table[0])

static const entry *find(const char *key) {
  size_t lo = 0, hi = N_ENTRIES;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(table[mid].key, key);
    if (!c) return &table[mid];
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

const char *i18n_text(const char *lang, const char *key) {
  const entry *e = find(key);
  if (!e) return key;
  return lang && strcmp(lang, "en") == 0 ? e->en : e->vi;
}

int i18n_has(const char *key) {
  const entry *e = find(key);
  return e && *e->vi && *e->en;
}

size_t i18n_count(void) { return N_ENTRIES; }

const char *i18n_level(const char *lang, const char *key, double level, char *buf, size_t n) {
  char k[128], pct[16];
  if (!(level > 0 && level < 1)) {
    snprintf(buf, n, "%s", i18n_text(lang, key));
    return buf;
  }
  snprintf(k, sizeof k, "%s_level", key);
  snprintf(pct, sizeof pct, "%.0f", 100 * level);
  if (fabs(100 * level - floor(100 * level + 0.5)) > 1e-9)
    snprintf(pct, sizeof pct, "%.1f", 100 * level);
  if (!(lang && strcmp(lang, "en") == 0)) {
    char *dot = strchr(pct, '.');
    if (dot) *dot = ',';
  }
  const char *t = i18n_text(lang, k), *at = strstr(t, "{level}");
  if (!at) snprintf(buf, n, "%s", t);
  else snprintf(buf, n, "%.*s%s%s", (int)(at - t), t, pct, at + 7);
  return buf;
}

const char *i18n_key(size_t i) { return i < N_ENTRIES ? table[i].key : NULL; }
