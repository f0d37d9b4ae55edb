import CPNG
import FeastEvents

extension RGBImage {
    /// Writes the image as an 8-bit RGB PNG at `path`, atomically (a
    /// temporary beside it, renamed into place), with libpng's simplified
    /// API, which handles libpng's longjmp errors internally.
    public func writePNG(to path: String) throws {
        let atomic = AtomicFile(destination: path)
        var image = png_image()
        image.version = feast_png_image_version()
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = feast_png_format_rgb()
        let ok = pixels.withUnsafeBufferPointer {
            png_image_write_to_file(&image, atomic.temporaryPath, 0, $0.baseAddress, 0, nil)
        }
        if ok == 0 {
            let message = withUnsafeBytes(of: image.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            png_image_free(&image)
            atomic.abort()
            throw FeastIOError.png(file: path, reason: message.isEmpty ? "libpng failed" : message)
        }
        do {
            try atomic.commit()
        } catch {
            throw FeastIOError.png(file: path, reason: "\(error)")
        }
    }
}
