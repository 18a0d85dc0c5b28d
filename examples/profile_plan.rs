//! Times the steps of a full `plan` of the enterprise example, for tuning.
fn main() {
    use certplan::render::charts::ChartOptions;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/enterprise.toml");
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let s = certplan::scenario::load(&path).unwrap();
        let t_load = t.elapsed();
        let plans = certplan::decision::projection::project(&s);
        let t_project = t.elapsed();
        let p = certplan::render::export::Projected {
            scenario: &s,
            plans: &plans,
        };
        let c = certplan::decision::comparison::compare(&s, &plans);
        let t_compare = t.elapsed();
        let r = certplan::render::charts::render(p, ChartOptions::default()).unwrap();
        let t_charts = t.elapsed();
        let _w = certplan::render::export::workbook::budget_xlsx(p, &c, None).unwrap();
        let t_book = t.elapsed();
        let _h = certplan::render::export::report_html::report_html(p, &c, &r.report_svgs, None);
        let t_report = t.elapsed();
        let (files, _) =
            certplan::cli::commands::outputs(&s, &plans, ChartOptions::default()).unwrap();
        let t_all = t.elapsed();
        let out = std::path::Path::new("/tmp/profile-plan-out");
        certplan::cli::output_folder::replace_folder(out, &files, None).unwrap();
        let t_write = t.elapsed();
        eprintln!(
            "load {t_load:?} project {:?} compare {:?} charts {:?} workbook {:?} report {:?} outputs-again {:?} write {:?}",
            t_project - t_load,
            t_compare - t_project,
            t_charts - t_compare,
            t_book - t_charts,
            t_report - t_book,
            t_all - t_report,
            t_write - t_all
        );
    }
}
