#include "bot/chart/rasterize.hpp"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace ritualbot {
namespace {

struct gobject_unref {
    void operator()(gpointer p) const { g_object_unref(p); }
};
struct surface_destroy {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct context_destroy {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};

std::string take_error(GError* e, const char* what) {
    std::string out = std::string(what) + ": " + (e && e->message ? e->message : "unknown error");
    if (e) g_error_free(e);
    return out;
}

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

chart_png rasterize_svg(std::string_view svg) {
    chart_png out;
    if (svg.empty()) {
        out.error = "no SVG";
        return out;
    }
    GError* error = nullptr;
    std::unique_ptr<RsvgHandle, gobject_unref> handle(
        rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
    if (!handle) {
        out.error = take_error(error, "unreadable SVG");
        return out;
    }
    // Our charts say their size in user units (width="640" height="260").
    gdouble w = 0, h = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &w, &h) || !(w > 0) || !(h > 0)) {
        out.error = "the SVG has no width and height";
        return out;
    }
    double scale = chart_png_scale;
    if (w * scale > chart_png_max_width) scale = chart_png_max_width / w;
    out.width = std::max(1, static_cast<int>(std::lround(w * scale)));
    out.height = std::max(1, static_cast<int>(std::lround(h * scale)));
    if (out.height > 4 * chart_png_max_width) {
        out.error = "the SVG is too tall";
        return out;
    }
    std::unique_ptr<cairo_surface_t, surface_destroy> surface(
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, out.width, out.height));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
        out.error = "cannot make an image surface";
        return out;
    }
    {
        std::unique_ptr<cairo_t, context_destroy> cr(cairo_create(surface.get()));
        // White behind the chart: a transparent PNG looks broken in a dark theme.
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        const RsvgRectangle viewport{0, 0, static_cast<double>(out.width), static_cast<double>(out.height)};
        if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
            out.error = take_error(error, "cannot draw the SVG");
            return out;
        }
    }
    cairo_surface_flush(surface.get());
    if (cairo_surface_write_to_png_stream(surface.get(), append_png, &out.bytes) != CAIRO_STATUS_SUCCESS) {
        out.error = "cannot encode the PNG";
        out.bytes.clear();
    }
    return out;
}

}  // namespace ritualbot
