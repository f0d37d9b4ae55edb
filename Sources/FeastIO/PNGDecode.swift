import CPNG

/// Decodes a PNG to 8-bit RGB with libpng's simplified API. Internal: the
/// tests use it to check what ``RGBImage/writePNG(to:)`` wrote.
func decodePNG(_ path: String) throws -> RGBImage {
    var image = png_image()
    image.version = feast_png_image_version()
    func message() -> String {
        withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
    guard png_image_begin_read_from_file(&image, path) != 0 else {
        let text = message()
        png_image_free(&image)
        throw FeastIOError.png(file: path, reason: text)
    }
    image.format = feast_png_format_rgb()
    var decoded = RGBImage(width: Int(image.width), height: Int(image.height))
    let ok = decoded.pixels.withUnsafeMutableBufferPointer {
        png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
    }
    guard ok != 0 else {
        let text = message()
        png_image_free(&image)
        throw FeastIOError.png(file: path, reason: text)
    }
    return decoded
}
