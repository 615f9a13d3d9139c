#include "devices/microphone.h"

#include "media/audio_device.h"

namespace lwn {

namespace {
Napi::Error DomError(Napi::Env env, const char* name, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("name", name);
  return error;
}

Napi::Object DeviceToJs(Napi::Env env, const PulseAudio::Device& device) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("deviceId", device.name);
  o.Set("label", device.description);
  o.Set("groupId", device.group);
  o.Set("sampleRate", device.rate);
  o.Set("channelCount", device.channels);
  o.Set("monitor", device.monitor);
  return o;
}
}  // namespace

std::shared_ptr<PulseAudio> AcquirePulseAudio(AddonData* data, std::string* error) {
  std::shared_ptr<PulseAudio> pulse = data->pulse_audio.lock();
  if (pulse) return pulse;
  pulse = PulseAudio::Connect(error);
  data->pulse_audio = pulse;
  return pulse;
}

Napi::Value ListAudioDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string error;
  std::shared_ptr<PulseAudio> pulse = AcquirePulseAudio(AddonData::Get(env), &error);
  if (!pulse) throw DomError(env, "NotReadableError", error);
  std::vector<PulseAudio::Device> sources, sinks;
  std::string default_source, default_sink;
  if (!pulse->List(&sources, &sinks, &default_source, &default_sink, &error)) {
    throw DomError(env, "NotReadableError", error);
  }
  Napi::Object out = Napi::Object::New(env);
  Napi::Array inputs = Napi::Array::New(env, sources.size());
  for (uint32_t i = 0; i < sources.size(); ++i) inputs.Set(i, DeviceToJs(env, sources[i]));
  Napi::Array outputs = Napi::Array::New(env, sinks.size());
  for (uint32_t i = 0; i < sinks.size(); ++i) outputs.Set(i, DeviceToJs(env, sinks[i]));
  out.Set("inputs", inputs);
  out.Set("outputs", outputs);
  out.Set("defaultInput", default_source);
  out.Set("defaultOutput", default_sink);
  return out;
}

Napi::Value SetAudioOutput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData* data = AddonData::Get(env);
  if (info[0].IsNull() || info[0].IsUndefined()) {
    data->audio_output.clear();
    if (auto runtime = data->runtime.lock()) runtime->audio_device()->SetOutput(nullptr);
    return env.Undefined();
  }
  std::string name = info[0].ToString().Utf8Value();
  std::string error;
  std::shared_ptr<PulseAudio> pulse = AcquirePulseAudio(data, &error);
  if (!pulse) throw DomError(env, "NotReadableError", error);
  // Checked now, so a bad id is an error here and not a silent runtime later.
  auto stream = pulse->Play(name, AudioDevice::kSampleRate, AudioDevice::kChannels, &error);
  if (!stream) throw DomError(env, "NotFoundError", error);
  data->audio_output = name;
  if (auto runtime = data->runtime.lock()) {
    runtime->audio_device()->SetOutput(std::shared_ptr<PulseAudio::Stream>(std::move(stream)));
  }
  return env.Undefined();
}

Napi::Function MicrophoneCapture::Init(Napi::Env env) {
  return DefineClass(env, "MicrophoneCapture",
                     {
                         InstanceMethod<&MicrophoneCapture::CreateTrack>("createTrack"),
                         InstanceMethod<&MicrophoneCapture::SetProcessing>("setProcessing"),
                         InstanceMethod<&MicrophoneCapture::Stop>("stop"),
                     });
}

MicrophoneCapture::MicrophoneCapture(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<MicrophoneCapture>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsObject() || !info[2].IsFunction()) {
    throw Napi::TypeError::New(env, "MicrophoneCapture(deviceId, settings, onEnded)");
  }
  data_ = AddonData::Get(env);
  device_ = info[0].As<Napi::String>().Utf8Value();
  Napi::Object settings = info[1].As<Napi::Object>();
  rate_ = GetInt(settings, "sampleRate", 48000);
  channels_ = std::max(1, std::min(2, GetInt(settings, "channelCount", 1)));
  std::string error;
  std::shared_ptr<PulseAudio> pulse = AcquirePulseAudio(data_, &error);
  if (!pulse) throw DomError(env, "NotReadableError", error);
  runtime_ = data_->AcquireRuntime();
  if (!runtime_) throw DomError(env, "NotReadableError", "libwebrtc's factory failed");
  feed_ = std::make_shared<AudioFeed>(data_);
  feed_->SetOnIdle([this] { StopCapture(); });
  feed_->SetExtraSettings([this](Napi::Object out) {
    out.Set("deviceId", device_);
    out.Set("echoCancellation", echo_);
    out.Set("noiseSuppression", noise_);
    out.Set("autoGainControl", gain_);
  });
  ended_ = std::make_unique<EndedNotifier>(env, info[2].As<Napi::Function>());
  ApplyProcessing(GetBool(settings, "echoCancellation"), GetBool(settings, "noiseSuppression"),
                  GetBool(settings, "autoGainControl"));
  EndedNotifier* ended = ended_.get();
  stream_ = pulse->Record(
      device_, rate_, channels_,
      [this](const int16_t* data, size_t frames) { OnData(data, frames); },
      [ended] { ended->Notify("the audio source went away"); }, &error);
  if (!stream_) {
    ended_->Close();
    throw DomError(env, "NotReadableError", error);
  }
  data_->media.insert(this);
}

MicrophoneCapture::~MicrophoneCapture() { Release(); }

void MicrophoneCapture::ApplyProcessing(bool echo, bool noise, bool gain) {
  echo_ = echo;
  noise_ = noise;
  gain_ = gain;
  if (!echo && !noise && !gain) {
    process_ = false;
    return;
  }
  if (!processing_) {
    processing_ = webrtc::AudioProcessingBuilder().Create();
    // The echo canceller needs what is played out: the runtime's audio device gives it.
    runtime_->audio_device()->AddRenderObserver(processing_);
  }
  webrtc::AudioProcessing::Config config;
  config.echo_canceller.enabled = echo;
  config.noise_suppression.enabled = noise;
  config.noise_suppression.level = webrtc::AudioProcessing::Config::NoiseSuppression::kHigh;
  config.gain_controller1.enabled = gain;
  config.gain_controller1.mode = webrtc::AudioProcessing::Config::GainController1::kAdaptiveDigital;
  config.high_pass_filter.enabled = echo || noise;
  processing_->ApplyConfig(config);
  process_ = true;
}

void MicrophoneCapture::OnData(const int16_t* data, size_t frames) {
  const size_t chunk = static_cast<size_t>(rate_ / 100) * channels_;
  pending_.insert(pending_.end(), data, data + frames * channels_);
  size_t used = 0;
  webrtc::StreamConfig config(rate_, channels_);
  for (; used + chunk <= pending_.size(); used += chunk) {
    int16_t* frame = pending_.data() + used;
    if (process_) processing_->ProcessStream(frame, config, config, frame);
    feed_->Deliver(frame, rate_, channels_, rate_ / 100);
  }
  pending_.erase(pending_.begin(), pending_.begin() + used);
}

void MicrophoneCapture::StopCapture() {
  stream_.reset();  // disconnects: OnData runs no more
  if (processing_ && runtime_) runtime_->audio_device()->RemoveRenderObserver(processing_);
  processing_ = nullptr;
}

void MicrophoneCapture::Release() {
  if (released_) return;
  released_ = true;
  if (feed_) feed_->End();
  StopCapture();
  if (ended_) ended_->Close();
  runtime_.reset();
  data_->media.erase(this);
}

Napi::Value MicrophoneCapture::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  auto track =
      stream_ ? feed_->NewTrack(runtime_.get(), info[0].ToString().Utf8Value(), &own) : nullptr;
  if (!track) throw Napi::Error::New(env, "the capture has stopped");
  return MediaStreamTrack::Wrap(env, runtime_, track, own);
}

// setProcessing({ echoCancellation, noiseSuppression, autoGainControl }): applyConstraints().
Napi::Value MicrophoneCapture::SetProcessing(const Napi::CallbackInfo& info) {
  if (info[0].IsObject() && stream_) {
    Napi::Object o = info[0].As<Napi::Object>();
    ApplyProcessing(GetBool(o, "echoCancellation"), GetBool(o, "noiseSuppression"),
                    GetBool(o, "autoGainControl"));
  }
  return info.Env().Undefined();
}

Napi::Value MicrophoneCapture::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

}  // namespace lwn
