/* uitext.c — the dashboard's texts in Vietnamese and English (uitext.h). */
#include "uitext.h"

#include <string.h>

static const struct {
  const char *key, *vi, *en;
} texts[] = {
    {"title", "Chỉ số Thương mại điện tử Việt Nam", "Vietnam E-Business Index"},
    {"lang_name", "Tiếng Việt", "English"},
    {"synthetic_banner", "DỮ LIỆU MÔ PHỎNG — không phải số liệu khảo sát thật; chỉ dùng để minh họa.",
     "SYNTHETIC DATA — not real survey figures; for illustration only."},
    {"nav_overview", "Tổng quan", "Overview"},
    {"nav_compare", "So sánh", "Compare"},
    {"nav_whatif", "Thử trọng số", "What-if"},
    {"nav_methodology", "Phương pháp", "Methodology"},
    {"nav_provenance", "Nguồn dữ liệu", "Provenance"},
    {"year", "Năm", "Year"},
    {"units", "Đơn vị", "Units"},
    {"units_63", "63 tỉnh, thành phố", "63 provinces"},
    {"units_34", "34 tỉnh, thành phố", "34 provinces"},
    {"units_34_harmonised", "34 đơn vị (quy đổi từ 63)", "34 units (re-estimated from 63)"},
    {"units_word", "đơn vị", "units"},
    {"harmonised_note", " quy đổi", " re-estimated"},
    {"method_word", "phương pháp", "methodology"},
    {"show", "Xem", "Show"},
    {"footer_api", "Số liệu của mọi bảng và biểu đồ có qua API:", "Every table and chart is in the API:"},
    {"footer_boundaries", "Ranh giới hành chính: geoBoundaries (CC BY 4.0), bản đồ 2008, đã đơn giản hóa.",
     "Boundaries: geoBoundaries (CC BY 4.0), 2008 map, simplified."},
    {"back_home", "Về trang tổng quan", "Back to the overview"},
    {"back_overview", "← Về bảng xếp hạng", "← Back to the ranking"},
    {"download", "Tải về:", "Download:"},
    {"download_svg", "Tải biểu đồ (SVG)", "Download the chart (SVG)"},
    {"sec_headline", "Số liệu chính", "Key figures"},
    {"sec_map", "Bản đồ", "Map"},
    {"sec_ranking", "Xếp hạng", "Ranking"},
    {"sec_divide", "Khoảng cách số", "Digital divide"},
    {"sec_targets", "Mục tiêu kế hoạch", "Plan targets"},
    {"sec_profile_pillars", "Các trụ cột so với vùng và cả nước", "Pillars against the region and the country"},
    {"sec_strengths", "Điểm mạnh và điểm yếu", "Strengths and weaknesses"},
    {"sec_indicators", "Các chỉ tiêu", "Indicators"},
    {"sec_trend", "Xu hướng qua các năm", "Trend over the years"},
    {"sec_compare", "So sánh song song", "Side by side"},
    {"sec_whatif_ranking", "Xếp hạng với trọng số đã chọn", "Ranking with the chosen weights"},
    {"sec_method", "Phương pháp tính", "How the index is computed"},
    {"sec_intervals", "Độ bất định", "Uncertainty"},
    {"sec_years", "Các năm đã lưu", "Stored years"},
    {"sec_imports", "Các tệp khảo sát đã nhập", "Imported survey files"},
    {"sec_run", "Thiết lập tính toán", "Run settings"},
    {"top5", "Dẫn đầu", "Top five"},
    {"national_mean", "Trung bình cả nước", "National mean"},
    {"ranked_units", "đơn vị được xếp hạng", "units ranked"},
    {"hnhcm_share", "Tỷ trọng Hà Nội + TP.HCM", "Hà Nội + HCMC share"},
    {"share_target", "trong doanh số TMĐT (mục tiêu: dưới 50%)", "of online sales (target: below 50%)"},
    {"interval", "Khoảng tin cậy", "Interval"},
    {"map_hint", "Di chuột lên một tỉnh để xem điểm; bấm để mở hồ sơ.",
     "Hover over a province to see its score; click to open its profile."},
    {"search", "Tìm", "Search"},
    {"search_hint", "tên tỉnh, có dấu hoặc không", "province name, with or without accents"},
    {"show_top", "Hiện", "Show"},
    {"all", "tất cả", "all"},
    {"show_tiers", "Hiện nhóm xếp hạng", "Show tiers"},
    {"col_rank", "Hạng", "Rank"},
    {"col_change", "Thay đổi", "Change"},
    {"col_prev_rank", "Hạng năm trước", "Previous rank"},
    {"col_name", "Tỉnh, thành phố", "Province"},
    {"col_region", "Vùng", "Region"},
    {"col_score", "Điểm", "Score"},
    {"col_interval", "Khoảng tin cậy", "Interval"},
    {"col_rank_interval", "Khoảng hạng", "Rank range"},
    {"col_tier", "Nhóm", "Tier"},
    {"col_code", "Mã", "Code"},
    {"col_respondents", "Số DN trả lời", "Respondents"},
    {"col_target", "Mục tiêu", "Target"},
    {"col_target_year", "Năm", "Year"},
    {"col_target_value", "Chỉ tiêu", "Target value"},
    {"col_actual", "Thực tế", "Actual"},
    {"col_progress", "Tiến độ", "Progress"},
    {"col_status", "Đánh giá", "Status"},
    {"col_measure", "Thước đo", "Measure"},
    {"col_value", "Giá trị", "Value"},
    {"col_pillar", "Trụ cột", "Pillar"},
    {"col_indicator", "Chỉ tiêu", "Indicator"},
    {"col_region_mean", "Trung bình vùng", "Region mean"},
    {"col_national_mean", "Trung bình cả nước", "National mean"},
    {"col_z", "Điểm z", "z-score"},
    {"col_flags", "Ghi chú", "Notes"},
    {"col_nominal_rank", "Hạng theo trọng số gốc", "Rank with the method's weights"},
    {"col_id", "Mã", "Id"},
    {"col_file", "Tệp", "File"},
    {"col_rows", "Số dòng", "Rows"},
    {"col_method", "Phương pháp", "Methodology"},
    {"col_imported", "Thời điểm nhập (UTC)", "Imported (UTC)"},
    {"col_sha256", "SHA-256", "SHA-256"},
    {"col_imports", "Số tệp", "Files"},
    {"col_data", "Dữ liệu", "Data"},
    {"moved_up", "tăng hạng so với năm trước", "moved up since the previous year"},
    {"moved_down", "giảm hạng so với năm trước", "moved down since the previous year"},
    {"unchanged", "giữ hạng", "same rank"},
    {"ranking_note",
     "Điểm 0–100. Khoảng tin cậy của điểm: lấy mẫu lại (bootstrap) vi dữ liệu; khoảng hạng: kết hợp lấy mẫu lại và "
     "các lựa chọn phương pháp. Hạng năm trước tính trên cùng bộ đơn vị. Bấm tiêu đề cột để sắp xếp.",
     "Scores 0–100. Score interval: bootstrap of the microdata; rank range: bootstrap crossed with method "
     "choices. The previous rank is on the same units. Click a column title to sort."},
    {"tiers_note", "Nhóm theo ngũ phân vị điểm (như màu bản đồ), nhóm 1 cao nhất:",
     "Tiers are the score quintiles (the map's colours), tier 1 the highest:"},
    {"ranking_chart", "Biểu đồ xếp hạng với khoảng tin cậy", "Ranking chart with intervals"},
    {"pillars_chart", "Biểu đồ các trụ cột", "Pillar chart"},
    {"share_title", "Tỷ trọng Hà Nội + TP.HCM qua các năm", "Hà Nội + HCMC share over the years"},
    {"lorenz_title", "Đường cong Lorenz của doanh số TMĐT", "Lorenz curve of online sales"},
    {"divide_note",
     "Tỷ trọng ước lượng từ khảo sát, khoảng tin cậy bootstrap. Gini, Theil: độ bất bình đẳng giữa các tỉnh.",
     "Shares estimated from the survey, bootstrap intervals. Gini, Theil: inequality between provinces."},
    {"measure_hnhcm_share", "Tỷ trọng Hà Nội + TP.HCM (%)", "Hà Nội + HCMC share (%)"},
    {"measure_volume_gini", "Hệ số Gini của doanh số", "Gini of online sales"},
    {"measure_volume_top5_share", "Tỷ trọng 5 tỉnh dẫn đầu (%)", "Top five share (%)"},
    {"measure_volume_hhi", "Chỉ số tập trung HHI", "Concentration (HHI)"},
    {"measure_score_gini", "Hệ số Gini của điểm", "Gini of the scores"},
    {"measure_score_cv", "Hệ số biến thiên của điểm", "Coefficient of variation of the scores"},
    {"measure_score_theil_t", "Chỉ số Theil của điểm", "Theil index of the scores"},
    {"status_achieved", "đã đạt", "achieved"},
    {"status_on_track", "đúng tiến độ", "on track"},
    {"status_off_track", "chậm tiến độ", "off track"},
    {"status_no_data", "chưa có số liệu", "no data"},
    {"status_no_baseline", "chưa có số liệu gốc", "no baseline"},
    {"status_baseline_only", "mới có số liệu năm gốc", "baseline year only"},
    {"not_computed", "Chưa tính được.", "Not computed."},
    {"small_sample", "Cỡ mẫu nhỏ: kết quả kém chắc chắn, không xếp hạng.",
     "Small sample: the results are uncertain and not ranked."},
    {"formed_from", "Hợp nhất từ:", "Formed from:"},
    {"became", "Từ 2025 thuộc:", "Part from 2025 of:"},
    {"compare_with", "So sánh với", "Compare with"},
    {"strengths", "Điểm mạnh", "Strengths"},
    {"weaknesses", "Điểm yếu", "Weaknesses"},
    {"strengths_note",
     "Điểm mạnh: chỉ tiêu mà tỉnh/thành tốt hơn trung bình các tỉnh/thành (theo chiều của chỉ tiêu), hạng cao "
     "nhất trước; điểm yếu: kém hơn trung bình, hạng thấp nhất trước. Hạng tính trong các tỉnh/thành có số "
     "liệu. Bỏ qua chỉ tiêu có ít giá trị khác nhau (dưới 20% số tỉnh/thành), như get_str_weak của COINr.",
     "Strengths: indicators on which the unit does better than the mean of the units (in the indicator's "
     "direction), best rank first; weaknesses: worse than the mean, worst rank first. Ranks are among the "
     "units with data. Indicators with few distinct values (fewer than 20% of the units) are left out, as in "
     "COINr's get_str_weak."},
    {"no_strengths", "Không có chỉ tiêu nào cao hơn trung bình.", "No indicator above the mean."},
    {"no_weaknesses", "Không có chỉ tiêu nào thấp hơn trung bình.", "No indicator below the mean."},
    {"series_note", "Quy đổi: năm trước 2025 được ước lượng lại trên 34 đơn vị. Xấp xỉ: có chỉ tiêu là trung bình "
                    "có trọng số của các tỉnh cũ.",
     "Re-estimated: a year before 2025 recomputed on the 34 units. Approximate: an indicator is a weighted "
     "mean of the former provinces."},
    {"flag_harmonised", "quy đổi", "re-estimated"},
    {"flag_approx", "xấp xỉ", "approximate"},
    {"compare_pick", "Chọn 2 đến 4 tỉnh, thành phố:", "Pick two to four provinces:"},
    {"compare_need_two", "Chọn ít nhất hai đơn vị để so sánh.", "Pick at least two units to compare."},
    {"compare_note", "In đậm: giá trị tốt nhất của hàng (hạng: nhỏ nhất). *: năm quy đổi.",
     "Bold: the best value of the row (ranks: the smallest). *: a re-estimated year."},
    {"kind_index", "Chỉ số", "Index"},
    {"kind_pillar", "Trụ cột", "Pillars"},
    {"kind_indicator", "Chỉ tiêu", "Indicators"},
    {"kind_series", "Điểm qua các năm", "Score over the years"},
    {"row_score", "Điểm", "Score"},
    {"row_rank", "Hạng", "Rank"},
    {"row_rank_lo", "Hạng cao nhất có thể", "Best plausible rank"},
    {"row_rank_hi", "Hạng thấp nhất có thể", "Worst plausible rank"},
    {"whatif_note",
     "Kéo các thanh để đổi trọng số (trọng số tương đối: chỉ tỷ lệ giữa chúng có ý nghĩa); bảng xếp hạng tính lại "
     "ngay, cùng khoảng tin cậy.",
     "Move the sliders to change the weights (relative: only their ratios matter); the ranking is "
     "recomputed at once, with its intervals."},
    {"pillar_weights", "Trọng số các trụ cột", "Pillar weights"},
    {"indicator_weights", "Trọng số các chỉ tiêu", "Indicator weights"},
    {"recompute", "Tính lại", "Recompute"},
    {"reset_weights", "Về trọng số gốc", "Back to the method's weights"},
    {"whatif_interval_note",
     "Khoảng tin cậy tính như báo cáo (lấy mẫu lại kết hợp lựa chọn phương pháp, quanh trọng số đã chọn); "
     "với trọng số gốc chúng trùng với bảng xếp hạng chính.",
     "Intervals are made as in the report (bootstrap crossed with method choices, around the chosen "
     "weights); at the method's weights they are the main ranking's."},
    {"weight", "trọng số", "weight"},
    {"direction", "chiều", "direction"},
    {"normalisation", "chuẩn hóa", "normalisation"},
    {"aggregation", "tổng hợp", "aggregation"},
    {"method_note",
     "Chỉ tiêu được chuẩn hóa về 0–100 rồi tổng hợp có trọng số lên trụ cột và chỉ số.",
     "Indicators are normalised to 0–100, then aggregated with weights into pillars and the index."},
    {"interval_level", "Mức tin cậy của các khoảng:", "Interval level:"},
    {"interval_crossed",
     "Khoảng điểm: lấy mẫu lại bootstrap Rao–Wu của vi dữ liệu khảo sát. Khoảng hạng: mỗi lần chạy kết hợp một "
     "mẫu lặp với các lựa chọn phương pháp (trọng số, chuẩn hóa, tổng hợp, xử lý ngoại lai).",
     "Score intervals: Rao–Wu bootstrap of the survey microdata. Rank ranges: each run crosses a bootstrap "
     "replicate with method choices (weights, normalisation, aggregation, outlier treatment)."},
    {"interval_method", "Khoảng hạng: các lựa chọn phương pháp (trọng số, chuẩn hóa, tổng hợp).",
     "Rank ranges: method choices (weights, normalisation, aggregation)."},
    {"rankshift_title", "Mức dịch chuyển hạng", "Rank shifts"},
    {"sobol_title", "Chỉ số độ nhạy Sobol", "Sobol sensitivity indices"},
    {"data_synthetic", "mô phỏng", "synthetic"},
    {"data_survey", "khảo sát", "survey"},
    {"method_hash", "Mã băm phương pháp (SHA-256)", "Methodology hash (SHA-256)"},
    {"seed", "Hạt giống ngẫu nhiên", "Random seed"},
    {"min_respondents", "Số DN trả lời tối thiểu để xếp hạng", "Respondents needed for a rank"},
    {"chiso_version", "Phiên bản chiso", "chiso version"},
};

#define N_TEXTS (sizeof texts / sizeof texts[0])

static int find(const char *key) {
  for (size_t i = 0; i < N_TEXTS; i++)
    if (strcmp(texts[i].key, key) == 0) return (int)i;
  return -1;
}

const char *uitext_get(const char *lang, const char *key) {
  int i = key ? find(key) : -1;
  if (i < 0) return key ? key : "";
  return lang && strcmp(lang, "en") == 0 ? texts[i].en : texts[i].vi;
}

int uitext_has(const char *key) { return key && find(key) >= 0; }

size_t uitext_count(void) { return N_TEXTS; }

const char *uitext_key(size_t i) { return i < N_TEXTS ? texts[i].key : NULL; }
