//! Issue 4 (and issue 11, item 5): `tribute chart KIND -o FILE.svg|FILE.png` from the built-in
//! corpus, through the binary. Each chart renders in both formats (a PNG of the size asked, not blank; an SVG with its
//! title as text), also with every system font hidden; the SVG text of each chart is snapshotted
//! (`tests/snapshots/chart@<kind>-<input>.snap`, byte-stable); every bad input is an exit status 2
//! with a message and nothing written; the pictures in `docs/images/` are what the commands of
//! `docs/charts.md` make today.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{bin, listing, ok, root, run, stderr};

/// The charts the snapshots and the format tests cover: (snapshot name, arguments).
const CHARTS: [(&str, &[&str]); 6] = [
    (
        "chart@burden-song-jin",
        &["chart", "burden", "--payer", "Song", "--payee", "Jin"],
    ),
    (
        "chart@cumulative-song",
        &["chart", "cumulative", "--payer", "Song"],
    ),
    (
        "chart@timeline-song",
        &["chart", "timeline", "--payer", "Song"],
    ),
    (
        "chart@compare-jin-demand-1126.against.song-jin-1123.song-silver",
        &[
            "chart",
            "compare",
            "jin-demand-1126",
            "--against",
            "song-jin-1123",
            "--prices",
            "song-silver",
        ],
    ),
    (
        "chart@burden-song.song-silver.by-payee",
        &[
            "chart",
            "burden",
            "--payer",
            "Song",
            "--prices",
            "song-silver",
            "--stack-by",
            "payee",
        ],
    ),
    (
        "chart@cumulative-song-jin.song-silver",
        &[
            "chart",
            "cumulative",
            "--payer",
            "Song",
            "--payee",
            "Jin",
            "--prices",
            "song-silver",
        ],
    ),
];

/// Runs `tribute ARGS -o DIR/NAME` (plus `extra`) and returns the output and the file's path.
fn chart_to(dir: &Path, name: &str, args: &[&str], extra: &[&str]) -> (Output, PathBuf) {
    let path = dir.join(name);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(extra);
    all.extend(["-o", path.to_str().expect("utf-8 path")]);
    (run(&all), path)
}

/// Requires success, silence on standard output, and returns the file's bytes.
fn written(out: &Output, path: &Path) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{}: exit {:?}\n{}",
        path.display(),
        out.status.code(),
        stderr(out)
    );
    assert!(out.stdout.is_empty(), "a chart prints nothing");
    std::fs::read(path).expect("the chart was written")
}

fn decode(png: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .expect("a valid png")
        .to_rgb8()
}

/// A picture with many colours and a fair share of its pixels drawn on.
fn assert_not_blank(name: &str, img: &image::RgbImage) {
    let colours: BTreeSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 50, "{name}: only {} colours", colours.len());
    let inked = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let all = img.width() as usize * img.height() as usize;
    assert!(
        inked * 20 > all,
        "{name}: only {inked} of {all} pixels drawn"
    );
}

/// Dark pixels (text) in the band of rows `top..bottom` of the picture: the title's band.
fn dark_pixels(img: &image::RgbImage, top: u32, bottom: u32) -> usize {
    (top..bottom)
        .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 90))
        .count()
}

/// The text of every `<text>` element of an SVG, in order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>'))
        .map(|(_, rest)| {
            rest.split("</text>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .collect()
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn each_chart_renders_as_svg_and_png_of_the_size_asked() {
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in CHARTS {
        let short = name.trim_start_matches("chart@");
        let (out, path) = chart_to(dir.path(), &format!("{short}.svg"), args, &[]);
        let svg = String::from_utf8(written(&out, &path)).expect("svg is text");
        assert!(
            svg.starts_with("<svg width=\"1200\" height=\"900\""),
            "{name}: the default size"
        );
        assert!(texts(&svg).len() > 20, "{name}: labels drawn as text");
        for (w, h) in [(1000, 700), (800, 600)] {
            let size = [w.to_string(), h.to_string()];
            let (out, path) = chart_to(
                dir.path(),
                &format!("{short}-{w}x{h}.PNG"),
                args,
                &["--width", &size[0], "--height", &size[1]],
            );
            let img = decode(&written(&out, &path));
            assert_eq!(img.dimensions(), (w, h), "{name}: {w}×{h}");
            assert_not_blank(name, &img);
        }
    }
}

#[test]
fn svg_of_each_chart_is_byte_stable_and_snapshotted() {
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in CHARTS {
        let short = name.trim_start_matches("chart@");
        let (out, path) = chart_to(dir.path(), &format!("{short}.svg"), args, &[]);
        let svg = String::from_utf8(written(&out, &path)).unwrap();
        let (out, again) = chart_to(dir.path(), &format!("{short}-again.svg"), args, &[]);
        assert_eq!(
            svg.as_bytes(),
            written(&out, &again),
            "{name}: the same bytes on every run"
        );
        let texts = texts(&svg);
        assert!(
            svg.contains("font-family=\"DejaVu Sans, sans-serif\""),
            "{name}: names the built-in font"
        );
        // It names the font and does not carry it, as the README and docs/charts.md say.
        assert!(
            !svg.contains("@font-face") && !svg.contains("base64"),
            "{name}: no font embedded"
        );
        assert!(
            !texts
                .iter()
                .any(|t| t.contains(&*dir.path().to_string_lossy())),
            "{name}: no temporary path in the picture"
        );
        snapshot(name, &svg);
    }
}

#[test]
fn charts_render_their_text_with_every_system_font_hidden() {
    let dir = tempfile::tempdir().unwrap();
    // An empty fontconfig configuration: no font folder, no cache. Nothing the charts draw may
    // depend on it, since the font is embedded.
    let conf = dir.path().join("fonts.conf");
    std::fs::write(
        &conf,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n",
    )
    .unwrap();
    let title = "Hidden fonts: Song → Jin";
    for ext in ["svg", "png"] {
        let path = dir.path().join(format!("timeline.{ext}"));
        let out = bin()
            .env("FONTCONFIG_FILE", &conf)
            .env("FONTCONFIG_PATH", dir.path())
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .env("XDG_CACHE_HOME", dir.path())
            .args(["chart", "timeline", "--payer", "Song", "--payee", "Jin"])
            .args(["--title", title, "-o", path.to_str().unwrap()])
            .output()
            .unwrap();
        let bytes = written(&out, &path);
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(texts(&svg).iter().any(|t| t == title), "the title as text");
        } else {
            let img = decode(&bytes);
            assert_eq!(img.dimensions(), (1200, 900));
            assert_not_blank("timeline with fonts hidden", &img);
            // The title's glyphs are drawn: dark pixels in the title's band.
            assert!(
                dark_pixels(&img, 10, 50) > 400,
                "the title is drawn: {} dark pixels",
                dark_pixels(&img, 10, 50)
            );
        }
    }
}

#[test]
fn a_title_of_ones_own_and_a_font_file_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let font = dir.path().join("mono.ttf");
    std::fs::write(&font, dejavu::sans_mono::regular()).unwrap();
    let args = ["chart", "timeline", "--payer", "Song", "--payee", "Jin"];
    let (out, path) = chart_to(
        dir.path(),
        "mono.svg",
        &args,
        &["--title", "Song and Jin", "--font", font.to_str().unwrap()],
    );
    let svg = String::from_utf8(written(&out, &path)).unwrap();
    assert!(svg.contains("font-family=\"DejaVu Sans Mono, DejaVu Sans, sans-serif\""));
    assert!(texts(&svg).iter().any(|t| t == "Song and Jin"));
    let (out, plain) = chart_to(dir.path(), "plain.png", &args, &[]);
    let plain = written(&out, &plain);
    let (out, mono) = chart_to(
        dir.path(),
        "mono.png",
        &args,
        &["--font", font.to_str().unwrap()],
    );
    assert_ne!(plain, written(&out, &mono), "the font changes the picture");
}

#[test]
fn characters_no_font_has_are_drawn_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (out, path) = chart_to(
        dir.path(),
        "cjk.png",
        &["chart", "timeline", "--payer", "Song", "--payee", "Jin"],
        &["--title", "宋金和議"],
    );
    written(&out, &path);
    let err = stderr(&out);
    assert!(
        err.starts_with("warning: the chart's text has characters (和宋議金) that the built-in DejaVu Sans lacks"),
        "{err}"
    );
    assert!(err.contains("give --font FILE"), "{err}");
}

#[test]
fn chart_compare_draws_the_figures_of_tribute_compare() {
    let args = [
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
        "--prices",
        "song-silver",
    ];
    let report: serde_json::Value =
        serde_json::from_str(&ok(
            &[&["compare"][..], &args, &["--format", "json"]].concat()
        ))
        .unwrap();
    let result = &report["result"];
    let (low, central, high) = (
        result["low"].as_str().unwrap(),
        result["central"].as_str().unwrap(),
        result["high"].as_str().unwrap(),
    );
    // 101,000,000 ÷ 1,500,000 = 67.3333…; 80,800,000 ÷ 1,825,000 = 44.2739… (down);
    // 116,250,000 ÷ 1,240,000 = 93.75.
    assert_eq!((low, central, high), ("44.2739", "67.3333", "93.75"));
    let dir = tempfile::tempdir().unwrap();
    let (out, path) = chart_to(
        dir.path(),
        "c.svg",
        &[&["chart", "compare"][..], &args].concat(),
        &[],
    );
    let svg = String::from_utf8(written(&out, &path)).unwrap();
    let texts = texts(&svg);
    let key = texts.join(" ");
    // The picture gives the years to what the interval supports: 44–94 years apart, so whole
    // years, rounded as the report rounds its bounds (low down, high up, central half to even).
    let dec = |s: &str| rust_decimal::Decimal::from_str_exact(s).unwrap();
    let (low, central, high) = (dec(low), dec(central), dec(high));
    let whole = |d: rust_decimal::Decimal, how| d.round_dp_with_strategy(0, how).to_string();
    use rust_decimal::RoundingStrategy::{
        MidpointNearestEven, ToNegativeInfinity, ToPositiveInfinity,
    };
    let (low, central, high) = (
        whole(low, ToNegativeInfinity),
        whole(central, MidpointNearestEven),
        whole(high, ToPositiveInfinity),
    );
    assert_eq!(
        (low.as_str(), central.as_str(), high.as_str()),
        ("44", "67", "94")
    );
    assert!(
        key.contains(&format!(
            "after ≈{central} years; with the low–high values, after ≈{low}–{high} years"
        )),
        "{key}"
    );
    assert!(
        !key.contains("67.3333"),
        "no false precision on the picture"
    );
    assert!(key.contains("rounded to whole years"), "{key}");
    // The axis covers the whole interval it cites: a tick at 100 years, past the latest, 94.
    assert!(texts.iter().any(|t| t == "100"), "{texts:?}");
    let a = report["a"]["valuation"]["value"]["central"]
        .as_str()
        .unwrap();
    assert_eq!(a, "101000000");
    assert!(key.contains("(101,000,000 tael of silver)"), "{key}");
    assert!(
        key.contains("unpriced, left out of the values: A: 1,000 head camel"),
        "{key}"
    );
}

/// Runs a chart that must fail: exit status 2, the message on standard error, nothing written
/// in `dir` (which starts empty).
fn refused(dir: &Path, args: &[&str], says: &str) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(
        stderr(&out).contains(says),
        "{args:?}: `{}` should say `{says}`",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(
        listing(dir),
        Vec::<String>::new(),
        "{args:?}: nothing written"
    );
}

#[test]
fn bad_output_paths_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let at = |name: &str| d.join(name).to_str().unwrap().to_string();
    let timeline = ["chart", "timeline", "--payer", "Song"];
    refused(
        d,
        &[&timeline[..], &["-o", &at("chart.gif")]].concat(),
        "cannot write a chart as `.gif`; give a file ending in .svg or .png",
    );
    refused(
        d,
        &[&timeline[..], &["-o", &at("chart")]].concat(),
        "has no extension; give a file ending in .svg or .png",
    );
    // -o is required, and a chart has no --format (issue 11: each command offers only what it
    // accepts).
    refused(
        d,
        &timeline,
        "the following required arguments were not provided:\n  --output <FILE>",
    );
    refused(
        d,
        &[&timeline[..], &["-o", "-"]].concat(),
        "a chart is a picture file",
    );
    // A folder that does not exist, and one that is a file.
    refused(
        d,
        &[&timeline[..], &["-o", &at("no/such/folder/chart.svg")]].concat(),
        "cannot write",
    );
    let file = tempfile::NamedTempFile::new().unwrap();
    let under_a_file = file.path().join("chart.png");
    refused(
        d,
        &[&timeline[..], &["-o", under_a_file.to_str().unwrap()]].concat(),
        "cannot write",
    );
    refused(
        d,
        &[&timeline[..], &["-o", &at("chart.svg"), "--format", "csv"]].concat(),
        "unexpected argument '--format' found",
    );
}

#[test]
fn sizes_out_of_range_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = d.join("chart.png");
    let o = o.to_str().unwrap();
    for (w, h) in [("100", "900"), ("1200", "479"), ("9000", "900"), ("0", "0")] {
        refused(
            d,
            &[
                "chart", "burden", "--payer", "Song", "--width", w, "--height", h, "-o", o,
            ],
            "a chart must be 640–8192 pixels wide and 480–8192 high",
        );
    }
    refused(
        d,
        &["chart", "burden", "--width", "-5", "-o", o],
        "unexpected argument '-5'",
    );
    refused(
        d,
        &["chart", "burden", "--width", "wide", "-o", o],
        "invalid value 'wide' for '--width <PIXELS>'",
    );
}

#[test]
fn bad_font_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let o = out_dir.path().join("chart.svg");
    let o = o.to_str().unwrap();
    let missing = dir.path().join("missing.ttf");
    refused(
        out_dir.path(),
        &[
            "chart",
            "timeline",
            "--font",
            missing.to_str().unwrap(),
            "-o",
            o,
        ],
        &format!("--font {}: cannot read the font file", missing.display()),
    );
    let not_a_font = dir.path().join("notes.ttf");
    std::fs::write(&not_a_font, "not a font at all").unwrap();
    refused(
        out_dir.path(),
        &[
            "chart",
            "timeline",
            "--font",
            not_a_font.to_str().unwrap(),
            "-o",
            o,
        ],
        &format!(
            "--font {}: the font given is not a TrueType or OpenType font that can be read",
            not_a_font.display()
        ),
    );
    // A font cut short is not a font either.
    let cut = dir.path().join("cut.ttf");
    std::fs::write(&cut, &dejavu::sans_mono::regular()[..200]).unwrap();
    refused(
        out_dir.path(),
        &[
            "chart",
            "timeline",
            "--font",
            cut.to_str().unwrap(),
            "-o",
            o,
        ],
        "is not a TrueType or OpenType font",
    );
    refused(
        out_dir.path(),
        &[
            "chart",
            "timeline",
            "--font",
            dir.path().to_str().unwrap(),
            "-o",
            o,
        ],
        "cannot read the font file",
    );
}

#[test]
fn bad_chart_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = d.join("chart.svg");
    let o = o.to_str().unwrap();
    let compare = [
        "chart",
        "compare",
        "jin-demand-1126",
        "--against",
        "song-jin-1123",
    ];
    refused(
        d,
        &[&compare[..], &["-o", o]].concat(),
        "chart compare needs --prices BOOK",
    );
    refused(
        d,
        &[&compare[..], &["--prices", "units", "--ratio", "-o", o]].concat(),
        "--ratio is for `tribute compare`",
    );
    refused(
        d,
        &[&compare[..], &["--all-books", "-o", o]].concat(),
        "--all-readings and --all-books are for `tribute compare`",
    );
    refused(
        d,
        &[
            &compare[..],
            &["--prices", "units", "--solve", "gold=180", "-o", o],
        ]
        .concat(),
        "--solve is for `tribute compare`",
    );
    refused(
        d,
        &[
            "chart",
            "compare",
            "no-such",
            "--against",
            "song-jin-1123",
            "--prices",
            "units",
            "-o",
            o,
        ],
        "no treaty `no-such` is loaded",
    );
    refused(
        d,
        &[
            "chart",
            "burden",
            "--payer",
            "Song",
            "--prices",
            "no-such-book",
            "-o",
            o,
        ],
        "no price book `no-such-book` is loaded",
    );
    refused(
        d,
        &["chart", "burden", "--payer", "Jin", "-o", o],
        "nothing to chart: no in-force stream of Jin → all payees",
    );
    refused(
        d,
        &["chart", "cumulative", "--treaty", "no-such-treaty", "-o", o],
        "no-such-treaty",
    );
    refused(
        d,
        &["chart", "pie", "-o", o],
        "unrecognized subcommand 'pie'",
    );
}

#[test]
fn a_failed_chart_leaves_an_existing_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chart.svg");
    std::fs::write(&path, "the old chart").unwrap();
    let out = run(&[
        "chart",
        "burden",
        "--payer",
        "Jin",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old chart");
    assert_eq!(listing(dir.path()), vec!["chart.svg".to_string()]);
}

/// The `$ tribute chart … -o docs/images/FILE` lines of `docs/charts.md`.
fn doc_commands() -> Vec<(Vec<String>, String)> {
    let page = std::fs::read_to_string(root().join("docs/charts.md")).expect("docs/charts.md");
    let mut out = Vec::new();
    let mut in_console = false;
    for line in page.lines() {
        match line.trim() {
            "```console" => in_console = true,
            "```" => in_console = false,
            l if in_console && l.starts_with("$ tribute chart ") => {
                let words: Vec<String> = l
                    .trim_start_matches("$ tribute ")
                    .split(' ')
                    .map(str::to_string)
                    .collect();
                let at = words
                    .iter()
                    .position(|w| w == "-o")
                    .expect("-o in each command");
                let file = words[at + 1].clone();
                assert!(
                    file.starts_with("docs/images/"),
                    "{l}: writes into docs/images/"
                );
                out.push((words, file));
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_docs_say_plainly_that_an_svg_names_its_font_without_embedding_it() {
    for file in ["README.md", "docs/charts.md"] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            text.contains("DejaVu Sans") && text.contains("not embed"),
            "{file} says an SVG names DejaVu Sans and does not embed it"
        );
        assert!(!text.contains("fonts embedded"), "{file}");
    }
}

#[test]
fn the_pictures_in_the_docs_are_what_their_commands_make_today() {
    let commands = doc_commands();
    let kinds: BTreeSet<&str> = commands.iter().map(|(w, _)| w[1].as_str()).collect();
    assert_eq!(
        kinds,
        ["burden", "compare", "cumulative", "timeline"].into(),
        "each chart is shown"
    );
    let page = std::fs::read_to_string(root().join("docs/charts.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (i, (words, file)) in commands.iter().enumerate() {
        let committed =
            std::fs::read(root().join(file)).unwrap_or_else(|e| panic!("{file} is committed: {e}"));
        assert!(
            page.contains(&format!("]({})", file.trim_start_matches("docs/"))),
            "{file} is shown on the page"
        );
        let ext = Path::new(file).extension().unwrap().to_str().unwrap();
        let fresh = dir.path().join(format!("{i}.{ext}"));
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        let at = args.iter().position(|w| *w == "-o").unwrap();
        args[at + 1] = fresh.to_str().unwrap();
        let out = bin().current_dir(root()).args(&args).output().unwrap();
        let made = written(&out, &fresh);
        assert!(
            made == committed,
            "{file} differs from what `tribute {}` makes now: run the docs tests (or the command) and commit the new picture",
            words.join(" ")
        );
        if ext == "png" {
            let img = decode(&made);
            assert_eq!(img.dimensions(), (1000, 700), "{file}: the docs size");
            assert!(made.len() < 200_000, "{file}: {} bytes", made.len());
        }
    }
}
