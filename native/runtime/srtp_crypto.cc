// SRTP's ciphers, for the libsrtp linked into the .node. Debian builds libsrtp2 against NSS, so
// its static archive's three crypto back ends (AES-ICM, AES-GCM, HMAC-SHA1) call a handful of
// NSS functions; linking NSS in is not possible (it has no static build) and loading it would
// make the .node need libnss3. So those functions are here, over the OpenSSL the .node already
// carries (the one libwebrtc's DTLS runs on), with NSS's semantics for exactly the calls
// libsrtp makes: an AES-CTR context streamed with PK11_CipherOp, one-shot AES-GCM with
// PK11_Encrypt/PK11_Decrypt (the tag after the ciphertext), and an HMAC-SHA1 digest context.
//
// libsrtp checks each cipher against its known-answer test vectors when it initializes
// (srtp_init(), before libwebrtc uses it): a mistake here stops every SRTP session rather
// than weakening one. The media tests against Chromium then check the real thing.
#include <nss.h>
#include <pk11pub.h>
#include <prerror.h>
#include <secerr.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <new>
#include <vector>

struct NSSInitContextStr {};
struct PK11SlotInfoStr {};

struct PK11SymKeyStr {
  CK_MECHANISM_TYPE mechanism;
  std::vector<unsigned char> bytes;
  ~PK11SymKeyStr() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

struct PK11ContextStr {
  CK_MECHANISM_TYPE mechanism;
  EVP_CIPHER_CTX* cipher = nullptr;  // CKM_AES_CTR
  EVP_MAC_CTX* mac = nullptr;        // CKM_SHA_1_HMAC
  std::vector<unsigned char> key;
  ~PK11ContextStr() {
    EVP_CIPHER_CTX_free(cipher);
    EVP_MAC_CTX_free(mac);
    OPENSSL_cleanse(key.data(), key.size());
  }
};

namespace {

thread_local PRErrorCode g_error = 0;

SECStatus Fail(PRErrorCode code) {
  g_error = code;
  return SECFailure;
}

const EVP_CIPHER* AesCipher(size_t key_bytes, bool gcm) {
  switch (key_bytes) {
    case 16:
      return gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
    case 24:
      return gcm ? EVP_aes_192_gcm() : EVP_aes_192_ctr();
    case 32:
      return gcm ? EVP_aes_256_gcm() : EVP_aes_256_ctr();
  }
  return nullptr;
}

NSSInitContextStr g_init;
PK11SlotInfoStr g_slot;

// The GCM parameters: libsrtp passes NSS's CK_GCM_PARAMS, whose layout depends on how NSS's
// headers were configured when it was built; the length tells which (as NSS's softoken does).
struct GcmParams {
  const unsigned char* iv;
  size_t iv_len;
  const unsigned char* aad;
  size_t aad_len;
  size_t tag_len;
};

bool ReadGcm(const SECItem* param, GcmParams* out) {
  if (!param || !param->data) return false;
  if (param->len == sizeof(CK_GCM_PARAMS_V3)) {
    const auto* p = reinterpret_cast<const CK_GCM_PARAMS_V3*>(param->data);
    *out = {p->pIv, p->ulIvLen, p->pAAD, p->ulAADLen, p->ulTagBits / 8};
  } else if (param->len == sizeof(CK_NSS_GCM_PARAMS)) {
    const auto* p = reinterpret_cast<const CK_NSS_GCM_PARAMS*>(param->data);
    *out = {p->pIv, p->ulIvLen, p->pAAD, p->ulAADLen, p->ulTagBits / 8};
  } else {
    return false;
  }
  return out->tag_len > 0 && out->tag_len <= 16 && out->iv_len > 0;
}

SECStatus AesGcm(bool encrypt, PK11SymKey* key, SECItem* param, unsigned char* out,
                 unsigned int* out_len, unsigned int max_len, const unsigned char* in,
                 unsigned int in_len) {
  GcmParams gcm;
  const EVP_CIPHER* cipher = key ? AesCipher(key->bytes.size(), true) : nullptr;
  if (!cipher || !ReadGcm(param, &gcm)) return Fail(SEC_ERROR_INVALID_ARGS);
  if (!encrypt && in_len < gcm.tag_len) return Fail(SEC_ERROR_BAD_DATA);
  unsigned int text_len = encrypt ? in_len : in_len - static_cast<unsigned int>(gcm.tag_len);
  unsigned int result_len = encrypt ? in_len + static_cast<unsigned int>(gcm.tag_len) : text_len;
  if (result_len > max_len) return Fail(SEC_ERROR_OUTPUT_LEN);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return Fail(SEC_ERROR_NO_MEMORY);
  int len = 0;
  bool ok = EVP_CipherInit_ex(ctx, cipher, nullptr, nullptr, nullptr, encrypt ? 1 : 0) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(gcm.iv_len),
                                nullptr) == 1 &&
            EVP_CipherInit_ex(ctx, nullptr, nullptr, key->bytes.data(), gcm.iv, -1) == 1 &&
            (gcm.aad_len == 0 ||
             EVP_CipherUpdate(ctx, nullptr, &len, gcm.aad, static_cast<int>(gcm.aad_len)) == 1);
  // The tag to check comes after the ciphertext, which may be decrypted over it (in place):
  // keep a copy first.
  unsigned char tag[16];
  if (ok && !encrypt) {
    memcpy(tag, in + text_len, gcm.tag_len);
    ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(gcm.tag_len), tag) == 1;
  }
  int written = 0;
  ok = ok &&
       (text_len == 0 || EVP_CipherUpdate(ctx, out, &written, in, static_cast<int>(text_len)) == 1);
  int final_len = 0;
  bool authentic = ok && EVP_CipherFinal_ex(ctx, out + written, &final_len) == 1;
  if (ok && authentic && encrypt) {
    ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(gcm.tag_len),
                             out + text_len) == 1;
  }
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return Fail(SEC_ERROR_LIBRARY_FAILURE);
  if (!authentic) {
    OPENSSL_cleanse(out, text_len);  // nothing unauthenticated leaves
    return Fail(SEC_ERROR_BAD_DATA);
  }
  *out_len = result_len;
  return SECSuccess;
}

}  // namespace

extern "C" {

NSSInitContext* NSS_InitContext(const char*, const char*, const char*, const char*,
                                NSSInitParameters*, PRUint32) {
  return &g_init;
}

SECStatus NSS_ShutdownContext(NSSInitContext*) { return SECSuccess; }

PRErrorCode PR_GetError(void) { return g_error; }

PK11SlotInfo* PK11_GetBestSlot(CK_MECHANISM_TYPE, void*) { return &g_slot; }

void PK11_FreeSlot(PK11SlotInfo*) {}

PK11SymKey* PK11_ImportSymKey(PK11SlotInfo*, CK_MECHANISM_TYPE type, PK11Origin, CK_ATTRIBUTE_TYPE,
                              SECItem* key, void*) {
  if (!key || (!key->data && key->len)) {
    g_error = SEC_ERROR_INVALID_ARGS;
    return nullptr;
  }
  auto* sym = new (std::nothrow) PK11SymKeyStr{type, {key->data, key->data + key->len}};
  if (!sym) g_error = SEC_ERROR_NO_MEMORY;
  return sym;
}

void PK11_FreeSymKey(PK11SymKey* key) { delete key; }

PK11Context* PK11_CreateContextBySymKey(CK_MECHANISM_TYPE type, CK_ATTRIBUTE_TYPE operation,
                                        PK11SymKey* key, const SECItem* param) {
  if (!key) {
    g_error = SEC_ERROR_INVALID_ARGS;
    return nullptr;
  }
  auto* context = new (std::nothrow) PK11ContextStr{type};
  if (!context) {
    g_error = SEC_ERROR_NO_MEMORY;
    return nullptr;
  }
  bool ok = false;
  if (type == CKM_AES_CTR) {
    // The counter block; NSS's counter width (libsrtp: 16 bits) never wraps within one SRTP
    // packet, where OpenSSL's whole-block increment gives the same stream.
    const EVP_CIPHER* cipher = AesCipher(key->bytes.size(), false);
    const auto* ctr = param && param->data && param->len == sizeof(CK_AES_CTR_PARAMS)
                          ? reinterpret_cast<const CK_AES_CTR_PARAMS*>(param->data)
                          : nullptr;
    context->cipher = EVP_CIPHER_CTX_new();
    ok = cipher && ctr && context->cipher &&
         EVP_CipherInit_ex(context->cipher, cipher, nullptr, key->bytes.data(), ctr->cb,
                           operation == CKA_ENCRYPT ? 1 : 0) == 1;
  } else if (type == CKM_SHA_1_HMAC) {
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    context->mac = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
    EVP_MAC_free(hmac);
    context->key = key->bytes;
    ok = context->mac != nullptr && PK11_DigestBegin(context) == SECSuccess;
  }
  if (!ok) {
    delete context;
    g_error = SEC_ERROR_INVALID_ALGORITHM;
    return nullptr;
  }
  return context;
}

void PK11_DestroyContext(PK11Context* context, PRBool) { delete context; }

SECStatus PK11_CipherOp(PK11Context* context, unsigned char* out, int* out_len, int max_out,
                        const unsigned char* in, int in_len) {
  if (!context || !context->cipher || in_len < 0 || in_len > max_out) {
    return Fail(SEC_ERROR_INVALID_ARGS);
  }
  int written = 0;
  if (in_len > 0 && EVP_CipherUpdate(context->cipher, out, &written, in, in_len) != 1) {
    return Fail(SEC_ERROR_LIBRARY_FAILURE);
  }
  *out_len = written;
  return SECSuccess;
}

SECStatus PK11_DigestBegin(PK11Context* context) {
  if (!context || !context->mac) return Fail(SEC_ERROR_INVALID_ARGS);
  char digest[] = "SHA1";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(context->mac, context->key.data(), context->key.size(), params) != 1) {
    return Fail(SEC_ERROR_LIBRARY_FAILURE);
  }
  return SECSuccess;
}

SECStatus PK11_DigestOp(PK11Context* context, const unsigned char* in, unsigned len) {
  if (!context || !context->mac) return Fail(SEC_ERROR_INVALID_ARGS);
  if (len > 0 && EVP_MAC_update(context->mac, in, len) != 1) {
    return Fail(SEC_ERROR_LIBRARY_FAILURE);
  }
  return SECSuccess;
}

SECStatus PK11_DigestFinal(PK11Context* context, unsigned char* data, unsigned int* out_len,
                           unsigned int length) {
  if (!context || !context->mac) return Fail(SEC_ERROR_INVALID_ARGS);
  size_t written = 0;
  if (EVP_MAC_final(context->mac, data, &written, length) != 1) {
    return Fail(SEC_ERROR_OUTPUT_LEN);
  }
  *out_len = static_cast<unsigned int>(written);
  return SECSuccess;
}

SECStatus PK11_Encrypt(PK11SymKey* key, CK_MECHANISM_TYPE mechanism, SECItem* param,
                       unsigned char* out, unsigned int* out_len, unsigned int max_len,
                       const unsigned char* data, unsigned int data_len) {
  if (mechanism != CKM_AES_GCM) return Fail(SEC_ERROR_INVALID_ALGORITHM);
  return AesGcm(true, key, param, out, out_len, max_len, data, data_len);
}

SECStatus PK11_Decrypt(PK11SymKey* key, CK_MECHANISM_TYPE mechanism, SECItem* param,
                       unsigned char* out, unsigned int* out_len, unsigned int max_len,
                       const unsigned char* enc, unsigned int enc_len) {
  if (mechanism != CKM_AES_GCM) return Fail(SEC_ERROR_INVALID_ALGORITHM);
  return AesGcm(false, key, param, out, out_len, max_len, enc, enc_len);
}

}  // extern "C"
