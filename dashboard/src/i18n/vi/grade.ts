// Vietnamese messages of the `grade` namespace.

export default {
  grade: {
    good: 'Tốt',
    ok: 'Khá',
    bad: 'Kém',
    terrible: 'Rất kém',
    none: 'Không có dữ liệu',
  },
};
