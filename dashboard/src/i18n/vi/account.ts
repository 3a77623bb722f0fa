// Vietnamese messages of the `account` namespace.

export default {
  account: {
    product: 'Giám sát phòng trực tuyến — Sở GD&ĐT Hòa Bình',
    productShort: 'Giám sát phòng trực tuyến',
    owner: 'Sở GD&ĐT Hòa Bình',
    roles: {
      admin: 'Quản trị hệ thống',
      operator: 'Cán bộ kỹ thuật điều khiển',
      chair: 'Chủ trì',
      technician: 'Kỹ thuật viên điểm cầu',
      wall: 'Màn hình giám sát',
    },
  },
};
