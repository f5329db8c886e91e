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
    {"col_reference_mean", "Trung bình các tỉnh/thành", "Mean of the units"},
    {"col_region", "Vùng", "Region"},
    {"col_respondents", "Số DN trả lời", "Respondents"},
    {"col_rows", "Số dòng", "Rows"},
    {"col_scope", "Phạm vi", "Scope"},
    {"col_score", "Điểm", "Score"},
    {"col_score_hi", "Điểm (cận trên)", "Score (upper)"},
    {"col_score_lo", "Điểm (cận dưới)", "Score (lower)"},
    {"col_sha256", "SHA-256", "SHA-256"},
    {"col_share_34", "Trên 34 đơn vị năm 2025 (%)", "On the 34 units of 2025 (%)"},
    {"col_share_63", "Trên 63 tỉnh/thành (%)", "On the 63 provinces (%)"},
    {"col_share_own", "Trên các tỉnh/thành của năm đó (%)", "On the units of that year (%)"},
    {"col_status", "Tình trạng", "Status"},
    {"col_target", "Mục tiêu", "Target"},
    {"col_target_value", "Giá trị mục tiêu", "Target value"},
    {"col_target_year", "Năm mục tiêu", "Target year"},
    {"col_unit", "Đơn vị", "Unit"},
    {"col_value", "Giá trị", "Value"},
    {"col_year", "Năm", "Year"},
    {"col_z", "Điểm z", "z-score"},
    {"contents", "Mục lục", "Contents"},
    {"coverage_1", "Khảo sát chỉ có số liệu của", "The survey has data for"},
    {"coverage_2", "đơn vị: các số liệu không phải số liệu cả nước.", "units only: its figures are not national ones."},
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
    {"formed_from", "Thành lập từ ngày 1/7/2025 trên cơ sở hợp nhất các tỉnh/thành cũ:", "Formed on 1 July 2025 from the former provinces:"},
    {"hnhcm_share", "Tỷ trọng Hà Nội + TP.HCM", "Share of Hà Nội + HCMC"},
    {"hnhcm_share_basis_34", "Trên 34 đơn vị hành chính năm 2025.", "On the 34 units of 2025."},
    {"hnhcm_share_basis_63", "Mỗi năm trên 63 tỉnh/thành phố.", "Each year on the 63 provinces."},
    {"hnhcm_share_note", "trong doanh số TMĐT (mục tiêu: dưới 50%)", "of e-commerce sales (target: below 50%)"},
    {"includes_former", "gồm cả địa bàn cũ của", "includes former"},
    {"inset_note", "Các đảo ngoài khơi được phóng to ×4 (sơ đồ)", "Offshore islands enlarged ×4 (schematic)"},
    {"kind_indicators", "chỉ tiêu chính thức", "official indicators"},
    {"kind_survey", "khảo sát", "survey"},
    {"legend_rule_1", "Ngũ phân vị: mỗi lớp gồm khoảng 1/5", "Quintiles: each class holds about 1/5"},
    {"legend_rule_2", "số đơn vị; điểm chỉ số thang 0–100", "of the units; index score on 0–100"},
    {"legend_title", "Điểm chỉ số", "Index score"},
    {"lorenz_title", "Đường cong Lorenz", "Lorenz curve"},
    {"m_arithmetic", "trung bình cộng", "arithmetic mean"},
    {"m_dist2max", "khoảng cách tới giá trị lớn nhất", "distance to the maximum"},
    {"m_dist2ref", "khoảng cách tới đơn vị tham chiếu", "distance to a reference unit"},
    {"m_fracmax", "tỷ lệ so với giá trị lớn nhất", "fraction of the maximum"},
    {"m_geometric", "trung bình nhân", "geometric mean"},
    {"m_goalposts", "mốc cố định (goalposts)", "goalposts"},
    {"m_harmonic", "trung bình điều hòa", "harmonic mean"},
    {"m_minmax", "min–max", "min–max"},
    {"m_none", "không chuẩn hóa", "none"},
    {"m_power", "trung bình lũy thừa", "power mean"},
    {"m_prank", "phân vị thứ hạng", "percentile rank"},
    {"m_rank", "thứ hạng", "rank"},
    {"m_zscore", "điểm z", "z-score"},
    {"map_note", "Nhấn vào một tỉnh để xem hồ sơ. Màu xám: chưa tính.", "Click a province to open its profile. Grey: not computed."},
    {"mean_of_the", "Trung bình", "Mean of the"},
    {"measure_gini", "Hệ số Gini của doanh số trực tuyến theo tỉnh/thành", "Gini coefficient of online sales across provinces"},
    {"measure_hhi", "Chỉ số Herfindahl–Hirschman (doanh số trực tuyến)", "Herfindahl–Hirschman index (online sales)"},
    {"measure_hnhcm_share", "Tỷ trọng Hà Nội + TP.HCM (%)", "Share of Hà Nội + HCMC (%)"},
    {"measure_palma", "Tỷ số Palma", "Palma ratio"},
    {"measure_score_cv", "Hệ số biến thiên của điểm chỉ số", "Coefficient of variation of the index scores"},
    {"measure_score_gini", "Hệ số Gini của điểm chỉ số", "Gini coefficient of the index scores"},
    {"measure_score_theil_t", "Chỉ số Theil T (điểm chỉ số)", "Theil T index (index scores)"},
    {"measure_theil", "Chỉ số Theil (điểm chỉ số)", "Theil index (index scores)"},
    {"measure_top10_share", "Tỷ trọng 10% doanh nghiệp lớn nhất (%)", "Share of the top 10% of firms (%)"},
    {"measure_top5_share", "Tỷ trọng doanh số của 5 tỉnh/thành dẫn đầu (%)", "Share of online sales of the top 5 provinces (%)"},
    {"measure_volume_gini", "Hệ số Gini của doanh số trực tuyến theo tỉnh/thành", "Gini coefficient of online sales across provinces"},
    {"measure_volume_hhi", "Chỉ số Herfindahl–Hirschman (doanh số trực tuyến)", "Herfindahl–Hirschman index (online sales)"},
    {"measure_volume_top5_share", "Tỷ trọng doanh số của 5 tỉnh/thành dẫn đầu (%)", "Share of online sales of the top 5 provinces (%)"},
    {"method_hash", "Mã băm phương pháp (SHA-256)", "Methodology hash (SHA-256)"},
    {"method_note", "Cây chỉ số sinh tự động từ tệp phương pháp; trọng số là trọng số trong nút cha.", "The tree is generated from the methodology file; weights are within the parent node."},
    {"methodology", "Phương pháp", "Methodology"},
    {"national", "Cả nước", "National"},
    {"national_mean", "Trung bình cả nước", "National mean"},
    {"no_respondents", "Không có doanh nghiệp nào trả lời khảo sát ở đơn vị này: không có số liệu khảo sát.", "No firm in this unit answered the survey: there are no survey figures."},
    {"no_strengths", "Không có chỉ tiêu nào cao hơn trung bình.", "No indicator above the mean."},
    {"no_weaknesses", "Không có chỉ tiêu nào thấp hơn trung bình.", "No indicator below the mean."},
    {"normalisation", "chuẩn hóa", "normalisation"},
    {"not_computed", "Chưa tính (không có dữ liệu cho phần này).", "Not computed (no data for this section)."},
    {"not_computed_short", "chưa tính", "not computed"},
    {"of_word", "trên", "of"},
    {"page_word", "Trang", "Page"},
    {"paracel_1", "Quần đảo Hoàng Sa", "Hoang Sa (Paracel) Islands"},
    {"paracel_2", "(Đà Nẵng)", "(Da Nang)"},
    {"pillars_note", "Mỗi chấm là điểm một trụ cột (0–100) của tỉnh; các hàng xếp theo hạng chung.", "Each dot is a pillar score (0–100); rows follow the overall rank."},
    {"published_note", "\"Số liệu công bố\": số liệu chính thức đã công bố (data/plans/actuals.csv), không phải ước lượng từ khảo sát của báo cáo này.", "\"Published\": an official published figure (data/plans/actuals.csv), not an estimate from this report's survey."},
    {"ranking_note", "Thanh: điểm chỉ số. Vạch: khoảng tin cậy của điểm. Bên phải: khoảng hạng. Nhấn tên tỉnh để xem hồ sơ.",
     "Bar: index score. Whisker: interval of the score. Right: rank interval. Click a name to open the profile."},
    {"rankshift_note", "Mức thay đổi hạng khi thay đổi các giả định (chuẩn hóa, trọng số, tổng hợp, dữ liệu thiếu).", "How far ranks move when the assumptions change (normalisation, weights, aggregation, missing data)."},
    {"rankshift_note_crossed", "Mức thay đổi hạng qua các lần chạy kết hợp mẫu bootstrap của dữ liệu khảo sát với các giả định (chuẩn hóa, trọng số, tổng hợp, dữ liệu thiếu).", "How far ranks move over runs that cross bootstrap replicates of the survey microdata with the assumptions (normalisation, weights, aggregation, missing data)."},
    {"rankshift_title", "Dịch chuyển hạng", "Rank shifts"},
    {"reestimated_1", "Số liệu", "Its"},
    {"reestimated_2", "được ước lượng lại trên địa giới mới từ khảo sát của các tỉnh/thành cũ.", "figures are re-estimated on these boundaries from the surveys of the former provinces."},
    {"region_mean_one", "Không có trung bình vùng: trong vùng này chỉ đơn vị này có số liệu.", "No regional mean: this is the only unit of its region with data."},
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
    {"share_recomputed", "tính lại trên 34 đơn vị hành chính năm 2025", "recomputed on the 34 units of 2025"},
    {"share_title", "Tỷ trọng Hà Nội + TP.HCM so với mục tiêu 50%", "Hà Nội + HCMC share against the 50% target"},
    {"sheet_divide", "Khoảng cách số", "Divide"},
    {"sheet_index", "Chỉ số", "Index"},
    {"sheet_indicators", "Chỉ tiêu", "Indicators"},
    {"sheet_metadata", "Siêu dữ liệu", "Metadata"},
    {"sheet_pillars", "Trụ cột", "Pillars"},
    {"sheet_targets", "Mục tiêu", "Targets"},
    {"sheet_uncertainty", "Độ bất định", "Uncertainty"},
    {"small_sample", "Cảnh báo: mẫu nhỏ, kết quả kém tin cậy.", "Warning: small sample, the result is less reliable."},
    {"sobol_note", "Phần phương sai của mức dịch chuyển hạng trung bình (|hạng − hạng danh nghĩa|, như lệnh chiso sensitivity) do từng giả định gây ra: S_i do riêng giả định đó, S_Ti cả khi kết hợp với các giả định khác (Saltelli và cộng sự 2010; Jansen 1999). Về lý thuyết 0 ≤ S_i ≤ S_Ti ≤ 1; một S_i hơi âm là sai số ước lượng (bằng 0 trong phạm vi sai số) và được vẽ bằng 0. Số bên phải: S_i / S_Ti.", "Share of the variance of the mean absolute rank shift (|rank − nominal rank|, as chiso sensitivity reports) due to each assumption: S_i alone, S_Ti with its interactions (Saltelli et al. 2010; Jansen 1999). In theory 0 ≤ S_i ≤ S_Ti ≤ 1; a slightly negative S_i is estimation error (zero within it) and is drawn as 0. Numbers on the right: S_i / S_Ti."},
    {"sobol_title", "Chỉ số Sobol", "Sobol indices"},
    {"source_published", "số liệu công bố", "published"},
    {"spratly_1", "Quần đảo Trường Sa", "Truong Sa (Spratly) Islands"},
    {"spratly_2", "(Khánh Hòa)", "(Khanh Hoa)"},
    {"status_achieved", "Đã đạt", "Achieved"},
    {"status_baseline_only", "Mới có số liệu năm gốc", "Baseline year only"},
    {"status_no_baseline", "Chưa có số liệu gốc", "No baseline"},
    {"status_no_data", "Chưa có số liệu", "No data"},
    {"status_off_track", "Chưa đạt", "Off track"},
    {"status_on_track", "Đúng tiến độ", "On track"},
    {"strengths", "Điểm mạnh", "Strengths"},
    {"strengths_note", "Điểm mạnh: chỉ tiêu mà tỉnh/thành tốt hơn trung bình các tỉnh/thành (theo chiều của chỉ tiêu), hạng cao nhất trước; điểm yếu: kém hơn trung bình, hạng thấp nhất trước. Hạng tính trong các tỉnh/thành có số liệu. Bỏ qua chỉ tiêu có ít giá trị khác nhau (dưới 20% số tỉnh/thành), như get_str_weak của COINr.",
     "Strengths: indicators on which the unit does better than the mean of the units (in the indicator's direction), best rank first; weaknesses: worse than the mean, worst rank first. Ranks are among the units with data. Indicators with few distinct values (fewer than 20% of the units) are left out, as in COINr's get_str_weak."},
    {"synthetic_banner", "DỮ LIỆU MÔ PHỎNG — không phải số liệu khảo sát thật; chỉ dùng để minh họa.", "SYNTHETIC DATA — not real survey results; for demonstration only."},
    {"targets_note", "Tiến độ = (thực tế − cơ sở) / (mục tiêu − cơ sở), hoặc thực tế / mục tiêu khi không có cơ sở. Mục tiêu chưa có số liệu được ghi là \"Chưa có số liệu\", không phải 0.",
     "Progress = (actual − baseline) / (target − baseline), or actual / target without a baseline. A target without data shows \"No data\", not zero."},
    {"top_provinces", "Dẫn đầu", "Top provinces"},
    {"units_with_score", "tỉnh/thành có điểm", "units with a score"},
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
