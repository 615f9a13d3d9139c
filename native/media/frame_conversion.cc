#include "media/frame_conversion.h"

#include "libyuv/convert.h"
#include "libyuv/convert_from.h"
#include "runtime/common.h"

namespace lwn {

namespace {
struct Image {
  int width = 0;
  int height = 0;
  uint8_t* data = nullptr;
  size_t size = 0;
};

// A { width, height, data: Uint8Array / Uint8ClampedArray } record of at least `bytes(w, h)`.
template <typename Bytes>
bool Read(const Napi::Value& value, Bytes bytes, Image* image) {
  if (!value.IsObject()) return false;
  Napi::Object o = value.As<Napi::Object>();
  image->width = GetInt(o, "width", 0);
  image->height = GetInt(o, "height", 0);
  Napi::Value data = o.Get("data");
  if (image->width <= 0 || image->height <= 0 || !data.IsTypedArray()) return false;
  Napi::TypedArray array = data.As<Napi::TypedArray>();
  image->data = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  image->size = array.ByteLength();
  return image->size >= bytes(image->width, image->height);
}

size_t I420Bytes(int width, int height) {
  return static_cast<size_t>(width) * height +
         2 * static_cast<size_t>((width + 1) / 2) * ((height + 1) / 2);
}
size_t RgbaBytes(int width, int height) { return static_cast<size_t>(width) * height * 4; }
}  // namespace

Napi::Value I420ToRgba(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Image src, dst;
  if (!Read(info[0], I420Bytes, &src) || !Read(info[1], RgbaBytes, &dst) ||
      src.width != dst.width || src.height != dst.height) {
    throw Napi::TypeError::New(env, "i420ToRgba(i420Frame, rgbaFrame)");
  }
  int chroma_width = (src.width + 1) / 2;
  const uint8_t* u = src.data + static_cast<size_t>(src.width) * src.height;
  const uint8_t* v = u + static_cast<size_t>(chroma_width) * ((src.height + 1) / 2);
  // libyuv's "ABGR" is bytes R, G, B, A in memory.
  libyuv::I420ToABGR(src.data, src.width, u, chroma_width, v, chroma_width, dst.data, dst.width * 4,
                     src.width, src.height);
  return env.Undefined();
}

Napi::Value RgbaToI420(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Image src, dst;
  if (!Read(info[0], RgbaBytes, &src) || !Read(info[1], I420Bytes, &dst) ||
      src.width != dst.width || src.height != dst.height) {
    throw Napi::TypeError::New(env, "rgbaToI420(rgbaFrame, i420Frame)");
  }
  int chroma_width = (dst.width + 1) / 2;
  uint8_t* u = dst.data + static_cast<size_t>(dst.width) * dst.height;
  uint8_t* v = u + static_cast<size_t>(chroma_width) * ((dst.height + 1) / 2);
  libyuv::ABGRToI420(src.data, src.width * 4, dst.data, dst.width, u, chroma_width, v, chroma_width,
                     src.width, src.height);
  return env.Undefined();
}

}  // namespace lwn
