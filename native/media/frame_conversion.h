// i420ToRgba / rgbaToI420 (nonstandard, node-webrtc's names), with libyuv from libtgowt.
#ifndef LWN_MEDIA_FRAME_CONVERSION_H_
#define LWN_MEDIA_FRAME_CONVERSION_H_

#include <napi.h>

namespace lwn {

// i420ToRgba({ width, height, data }, { width, height, data }): lib/ has checked the sizes.
Napi::Value I420ToRgba(const Napi::CallbackInfo& info);
// rgbaToI420({ width, height, data }, { width, height, data })
Napi::Value RgbaToI420(const Napi::CallbackInfo& info);

}  // namespace lwn

#endif  // LWN_MEDIA_FRAME_CONVERSION_H_
