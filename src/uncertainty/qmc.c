/* qmc.c — Sobol points from Joe & Kuo (2008) direction numbers. */
#include "uncertainty/qmc.h"

/* {s, a, {m_1..m_s}} for dimensions 2..64: degree of the primitive
** polynomial, its inner coefficients as bits, initial direction numbers. */
typedef struct dirline {
  int s, a;
  uint32_t m[10];
} dirline;

static const dirline joe_kuo[QMC_MAX_DIM - 1] = {
#include "qmc_table.inc"
};

/* Bratley & Fox (1988) recurrence: for k > s,
** m_k = 2 a_1 m_{k-1} ^ 4 a_2 m_{k-2} ^ ... ^ 2^(s-1) a_{s-1} m_{k-s+1}
**       ^ 2^s m_{k-s} ^ m_{k-s}; then v_k = m_k * 2^(32-k). */
static void directions(const dirline *d, uint32_t v[QMC_BITS]) {
  uint32_t m[QMC_BITS + 1];
  for (int k = 1; k <= QMC_BITS; k++) {
    if (k <= d->s) {
      m[k] = d->m[k - 1];
    } else {
      uint32_t x = m[k - d->s] ^ (m[k - d->s] << d->s);
      for (int i = 1; i < d->s; i++)
        if ((d->a >> (d->s - 1 - i)) & 1) x ^= m[k - i] << i;
      m[k] = x;
    }
    v[k - 1] = m[k] << (QMC_BITS - k);
  }
}

int qmc_sobol_init(qmc_sobol *q, int dim, chiso_err *err) {
  if (dim < 1 || dim > QMC_MAX_DIM)
    return chiso_err_set(err, CHISO_EUSAGE, "Sobol sequence: %d dimensions asked, 1 to %d available",
                         dim, QMC_MAX_DIM);
  q->dim = dim;
  for (int k = 0; k < QMC_BITS; k++) q->v[0][k] = 1u << (QMC_BITS - 1 - k);
  for (int j = 1; j < dim; j++) directions(&joe_kuo[j - 1], q->v[j]);
  return CHISO_OK;
}

void qmc_sobol_point(const qmc_sobol *q, uint32_t index, double *out) {
  uint32_t g = index ^ (index >> 1);  /* Gray code (Antonov & Saleev 1979) */
  for (int j = 0; j < q->dim; j++) {
    uint32_t x = 0;
    for (int k = 0; g >> k; k++)
      if ((g >> k) & 1) x ^= q->v[j][k];
    out[j] = (double)x / 4294967296.0;
  }
}
