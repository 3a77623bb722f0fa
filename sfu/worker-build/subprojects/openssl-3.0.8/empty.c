/* Placeholder so the shim archives mediasoup expects are not empty targets. */
int noc_worker_shim_openssl_3_0_8;
