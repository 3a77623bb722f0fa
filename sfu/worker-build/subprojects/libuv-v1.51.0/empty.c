/* Placeholder so the shim archives mediasoup expects are not empty targets. */
int noc_worker_shim_libuv_v1_51_0;
