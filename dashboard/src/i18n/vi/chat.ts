// Vietnamese messages of the `chat` namespace.

export default {
  chat: {
    title: 'Trao đổi',
    placeholder: 'Nhập tin nhắn…',
    send: 'Gửi',
    empty: 'Chưa có tin nhắn.',
    readOnly: 'Đại biểu chỉ xem tin nhắn.',
    roles: {
      operator: 'điều khiển',
      chair: 'chủ trì',
      site: 'điểm cầu',
      seat: 'đại biểu',
      wall: 'giám sát',
    },
  },
};
