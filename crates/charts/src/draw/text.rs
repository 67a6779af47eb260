//! Text measurement for layout. Widths come from the advance widths of DejaVu Sans (the font the PNG build
//! embeds); browsers drawing the SVG use narrower fonts, so layouts err on the roomy side.

/// Advance widths of U+0020..=U+007E in DejaVu Sans, in thousandths of an em.
const ADVANCES: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
    748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
    615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
    337, 636, 838,
];

/// How much wider bold text is than regular.
const BOLD_FACTOR: f64 = 1.08;

/// The width in pixels of `text` at font size `size` (pixels per em).
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let thousandths: f64 = text.chars().map(char_advance).sum();
    let width = thousandths / 1000.0 * size;
    if bold { width * BOLD_FACTOR } else { width }
}

fn char_advance(c: char) -> f64 {
    match c {
        ' '..='~' => f64::from(ADVANCES[c as usize - 0x20]),
        // CJK, Hangul, fullwidth forms and the like are square.
        '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}' | '\u{f900}'..='\u{faff}' => 1000.0,
        '\u{ff00}'..='\u{ff60}' => 1000.0,
        _ => 640.0,
    }
}

/// `text` cut to fit `max_width` pixels, ending in an ellipsis when cut.
pub(crate) fn fit_text(text: &str, size: f64, bold: bool, max_width: f64) -> String {
    if text_width(text, size, bold) <= max_width {
        return text.to_string();
    }
    let ellipsis = text_width("…", size, bold);
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let advance = char_advance(c) / 1000.0 * size * if bold { BOLD_FACTOR } else { 1.0 };
        if width + advance + ellipsis > max_width {
            break;
        }
        width += advance;
        out.push(c);
    }
    let trimmed = out.trim_end();
    if trimmed.is_empty() { String::new() } else { format!("{trimmed}…") }
}
