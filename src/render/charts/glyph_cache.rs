//! Text on PNG charts with each glyph rasterized once per thread. plotters outlines and
//! rasterizes every glyph of every label each time it is drawn, the largest single cost of a
//! PNG chart; a glyph's coverage depends only on the font, its size and the character (plotters
//! places each glyph at the origin and shifts it by whole pixels), so it is computed once and
//! reused. The pixels are exactly those plotters draws (a test compares them).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

/// A glyph's coverage: its pixels relative to the pen position, and their alpha.
struct Coverage {
    pixels: Vec<(i32, i32, f32)>,
}

type Key = (bool, u64, char);

thread_local! {
    static GLYPHS: RefCell<HashMap<Key, Option<Rc<Coverage>>>> = RefCell::new(HashMap::new());
}

fn fonts() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FONTS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some((
                FontRef::try_from_slice(super::REGULAR).ok()?,
                FontRef::try_from_slice(super::BOLD).ok()?,
            ))
        })
        .as_ref()
}

/// A drawing backend that draws text in certplan's font with cached glyphs, and everything else
/// as the backend it wraps.
pub struct GlyphCached<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for GlyphCached<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.0.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    /// plotters' own text drawing (plotters-backend `draw_text`, plotters' ab_glyph
    /// `FontDataInternal::draw`), step for step, with each glyph's coverage cached.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let Some((regular, bold)) = fonts() else {
            return self.0.draw_text(text, style, pos);
        };
        if style.family().as_str() != super::canvas::FAMILY {
            return self.0.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let width = max_x - min_x;
        let height = max_y - min_y;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        let is_bold = matches!(style.style(), FontStyle::Bold);
        let font = if is_bold { bold } else { regular };
        let size = style.size();
        let scaled = font.as_scaled(size as f32);
        let mut x_shift = 0f32;
        let mut prev = None;
        for c in text.chars() {
            if let Some(pc) = prev {
                x_shift += scaled.kern(scaled.glyph_id(pc), scaled.glyph_id(c));
            }
            prev = Some(c);
            let coverage = GLYPHS.with(|cache| {
                cache
                    .borrow_mut()
                    .entry((is_bold, size.to_bits(), c))
                    .or_insert_with(|| {
                        let glyph = scaled.scaled_glyph(c);
                        let q = scaled.outline_glyph(glyph)?;
                        let rect = q.px_bounds();
                        let y_shift = ((size as f32) / 2.0 + rect.min.y) as i32;
                        let mut pixels = Vec::new();
                        q.draw(|x, y, a| pixels.push((x as i32, y as i32 + y_shift, a)));
                        Some(Rc::new(Coverage { pixels }))
                    })
                    .clone()
            });
            if let Some(coverage) = coverage {
                let shift = x_shift as i32;
                for &(x, y, a) in &coverage.pixels {
                    let (x, y) = trans.transform(x + shift + dx - min_x, y + dy - min_y);
                    let (x, y) = (pos.0 + x, pos.1 + y);
                    if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                        self.0.draw_pixel((x, y), color.mix(f64::from(a)))?;
                    }
                }
            }
            x_shift += scaled.h_advance(scaled.glyph_id(c));
        }
        Ok(())
    }
}
